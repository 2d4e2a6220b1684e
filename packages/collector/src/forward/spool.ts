// A bounded on-disk FIFO of OTLP batches waiting to be forwarded. Each batch is one file,
// named `<sequence>-<spanCount>.otlp`, written to a temp name and renamed, so a restart finds
// only whole batches. When a batch would push the spool past its size, the batch is dropped
// and counted: forwarding is best effort, the ledger is the record.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SpoolItem {
  readonly seq: number;
  readonly spans: number;
  readonly bytes: number;
  readonly path: string;
}

const NAME_RE = /^(\d{16})-(\d+)\.otlp$/;

export class Spool {
  private readonly items: SpoolItem[] = [];
  private totalBytes = 0;
  private nextSeq = 1;
  private dropped = 0;

  private constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  /** Opens (creating if needed) a spool directory and reloads the batches left by a previous run. */
  static async open(dir: string, maxBytes: number): Promise<Spool> {
    const s = new Spool(dir, maxBytes);
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) {
      const m = NAME_RE.exec(name);
      const path = join(dir, name);
      if (!m) {
        if (name.endsWith('.tmp')) await rm(path, { force: true }); // torn write from a crash
        continue;
      }
      const st = await stat(path);
      s.items.push({ seq: Number(m[1]), spans: Number(m[2]), bytes: st.size, path });
      s.totalBytes += st.size;
    }
    s.items.sort((a, b) => a.seq - b.seq);
    s.nextSeq = (s.items.at(-1)?.seq ?? 0) + 1;
    return s;
  }

  get depth(): number {
    return this.items.length;
  }
  get bytes(): number {
    return this.totalBytes;
  }
  /** Spans dropped since this process opened the spool (spool full or refused by the target). */
  get droppedSpans(): number {
    return this.dropped;
  }

  countDropped(spans: number): void {
    this.dropped += spans;
  }

  /** Stores a batch; false (and counted as dropped) when it does not fit. */
  async put(data: Uint8Array, spans: number): Promise<boolean> {
    if (this.totalBytes + data.byteLength > this.maxBytes) {
      this.dropped += spans;
      return false;
    }
    const seq = this.nextSeq++;
    const path = join(this.dir, `${String(seq).padStart(16, '0')}-${spans}.otlp`);
    // Reserve the room before the await so concurrent puts cannot overshoot the bound.
    this.totalBytes += data.byteLength;
    try {
      await writeFile(path + '.tmp', data);
      await rename(path + '.tmp', path);
    } catch (err) {
      this.totalBytes -= data.byteLength;
      this.dropped += spans;
      throw err;
    }
    const item: SpoolItem = { seq, spans, bytes: data.byteLength, path };
    // Keep order by sequence even if writes finish out of order.
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.seq > seq) i--;
    this.items.splice(i, 0, item);
    return true;
  }

  peek(): SpoolItem | undefined {
    return this.items[0];
  }

  read(item: SpoolItem): Promise<Buffer> {
    return readFile(item.path);
  }

  async remove(item: SpoolItem): Promise<void> {
    const i = this.items.indexOf(item);
    if (i < 0) return;
    this.items.splice(i, 1);
    this.totalBytes -= item.bytes;
    await rm(item.path, { force: true });
  }
}
