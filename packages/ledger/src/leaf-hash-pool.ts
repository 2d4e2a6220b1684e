// Leaf checking spread over worker threads, so full verification uses every core. A chunk's
// index records and entry bytes live in SharedArrayBuffers: each worker hashes its slice of
// entries and compares with the recorded leaf hashes, no copies. The main thread then builds
// the tree from the recorded (now checked) leaf hashes.
import { Worker } from 'node:worker_threads';

// Plain JS so it runs the same from src (tsx) and dist.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash, hash } = require('node:crypto');
const zero = new Uint8Array([0]);
const scratch = Buffer.alloc(65537); // scratch[0] stays 0: the leaf prefix
const leafHash = (d) => {
  if (d.length > 65536) return createHash('sha256').update(zero).update(d).digest();
  scratch.set(d, 1);
  return hash('sha256', scratch.subarray(0, d.length + 1), 'buffer');
};
parentPort.on('message', (m) => {
  const data = new Uint8Array(m.data, 0, m.dataLength);
  const idx = Buffer.from(m.index, 0, m.indexLength);
  const endAt = (i) => idx.readUInt32BE(i * 40) * 4294967296 + idx.readUInt32BE(i * 40 + 4) - m.dataStart;
  let start = m.from === 0 ? 0 : endAt(m.from - 1);
  let bad = -1;
  for (let i = m.from; i < m.to; i++) {
    const end = endAt(i);
    if (start < 0 || end < start || end > data.length) { bad = i; break; }
    const h = leafHash(data.subarray(start, end));
    if (h.compare(idx, i * 40 + 8, i * 40 + 40) !== 0) { bad = i; break; }
    start = end;
  }
  parentPort.postMessage({ id: m.id, bad });
});
`;

interface Job {
  resolve: (bad: number) => void;
  reject: (e: unknown) => void;
}

export class LeafCheckPool {
  readonly #workers: Worker[];
  #nextId = 0;
  readonly #waiting = new Map<number, Job>();

  constructor(threads: number) {
    this.#workers = Array.from({ length: threads }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (m: { id: number; bad: number }) => {
        this.#waiting.get(m.id)?.resolve(m.bad);
        this.#waiting.delete(m.id);
      });
      w.on('error', (e) => {
        for (const job of this.#waiting.values()) job.reject(e);
        this.#waiting.clear();
      });
      return w;
    });
  }

  /** Shared memory for chunk buffers. */
  static alloc(bytes: number): Buffer {
    return Buffer.from(new SharedArrayBuffer(Math.max(1, bytes)), 0, bytes);
  }

  /**
   * Check `count` entries: index records (40 bytes each, shared memory) against entry bytes
   * (shared memory starting at file offset `dataStart`). Resolves with the first entry whose
   * offsets or leaf hash do not match, or -1.
   */
  async check(index: Buffer, count: number, data: Buffer, dataStart: number): Promise<number> {
    const per = Math.ceil(count / this.#workers.length);
    const jobs: Promise<number>[] = [];
    for (let w = 0; w < this.#workers.length && w * per < count; w++) {
      const id = this.#nextId++;
      jobs.push(new Promise<number>((resolve, reject) => this.#waiting.set(id, { resolve, reject })));
      this.#workers[w]!.postMessage({
        id, index: index.buffer, indexLength: count * 40, data: data.buffer, dataLength: data.length, dataStart,
        from: w * per, to: Math.min(count, (w + 1) * per),
      });
    }
    const bads = (await Promise.all(jobs)).filter((b) => b >= 0);
    return bads.length ? Math.min(...bads) : -1;
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
