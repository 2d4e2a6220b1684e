// Leaf hashing spread over worker threads, so full verification uses every core. Chunk bytes
// live in a SharedArrayBuffer: workers read their slice and write leaf hashes in place, no copies.
import { Worker } from 'node:worker_threads';

// Plain JS so it runs the same from src (tsx) and dist.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const zero = new Uint8Array([0]);
parentPort.on('message', (m) => {
  const data = new Uint8Array(m.data);
  const out = new Uint8Array(m.out);
  const ends = m.ends;
  let start = m.from === 0 ? 0 : ends[m.from - 1];
  for (let i = m.from; i < m.to; i++) {
    const end = ends[i];
    const h = createHash('sha256').update(zero).update(data.subarray(start, end)).digest();
    out.set(h, i * 32);
    start = end;
  }
  parentPort.postMessage(m.id);
});
`;

export class LeafHashPool {
  readonly #workers: Worker[];
  #nextId = 0;
  readonly #waiting = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();

  constructor(threads: number) {
    this.#workers = Array.from({ length: threads }, () => {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (id: number) => {
        this.#waiting.get(id)?.resolve();
        this.#waiting.delete(id);
      });
      w.on('error', (e) => {
        for (const job of this.#waiting.values()) job.reject(e);
        this.#waiting.clear();
      });
      return w;
    });
  }

  /** Shared memory for a chunk's entry bytes. */
  static alloc(bytes: number): Buffer {
    return Buffer.from(new SharedArrayBuffer(Math.max(1, bytes)), 0, bytes);
  }

  /**
   * Leaf hashes (32 bytes each) of the entries in `data` (shared memory from `alloc`), where
   * entry i is data[ends[i-1], ends[i]) relative to the buffer start.
   */
  async hash(data: Buffer, ends: Float64Array): Promise<Buffer> {
    const count = ends.length;
    const out = new SharedArrayBuffer(Math.max(1, count * 32));
    const per = Math.ceil(count / this.#workers.length);
    const jobs: Promise<void>[] = [];
    for (let w = 0; w < this.#workers.length && w * per < count; w++) {
      const id = this.#nextId++;
      jobs.push(new Promise<void>((resolve, reject) => this.#waiting.set(id, { resolve, reject })));
      this.#workers[w]!.postMessage({ id, data: data.buffer, out, ends, from: w * per, to: Math.min(count, (w + 1) * per) });
    }
    await Promise.all(jobs);
    return Buffer.from(out, 0, count * 32);
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }
}
