// Forwards received traces to an OTLP/HTTP backend from the on-disk spool, asynchronously,
// with retries and exponential backoff. An outage of the backend never blocks the collector.
import type { Logger } from '../logger.js';
import type { Spool } from './spool.js';

export interface ForwarderOptions {
  /** Base URL (`http://jaeger:4318`) or full traces URL (`.../v1/traces`). */
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** `http://host:4318` → `http://host:4318/v1/traces`; a URL already ending in /v1/traces is kept. */
export function tracesUrl(url: string): string {
  const u = new URL(url);
  if (!u.pathname.endsWith('/v1/traces')) u.pathname = u.pathname.replace(/\/+$/, '') + '/v1/traces';
  return u.toString();
}

export class Forwarder {
  private readonly target: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private readonly abort = new AbortController();
  private sent = 0;

  constructor(
    private readonly spool: Spool,
    private readonly opts: ForwarderOptions,
    private readonly log: Logger,
  ) {
    this.target = tracesUrl(opts.url);
  }

  get url(): string {
    return this.target;
  }
  get sentBatches(): number {
    return this.sent;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Spools a protobuf ExportTraceServiceRequest; returns false when the spool was full. */
  async enqueue(body: Uint8Array, spans: number): Promise<boolean> {
    let ok: boolean;
    try {
      ok = await this.spool.put(body, spans);
    } catch (err) {
      this.log.error('forward spool write failed; batch dropped', { err, spans });
      return false;
    }
    if (!ok) this.log.warn('forward spool full; batch dropped', { spans, spoolBytes: this.spool.bytes, dropped: this.spool.droppedSpans });
    this.wake?.();
    return ok;
  }

  /** Stops sending; batches still spooled are sent by the next run. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    const min = this.opts.minBackoffMs ?? 100;
    const max = this.opts.maxBackoffMs ?? 30_000;
    while (this.running) {
      const item = this.spool.peek();
      if (!item) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      let retryAfterMs: number | null = null;
      try {
        const body = await this.spool.read(item);
        const res = await fetch(this.target, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', ...this.opts.headers },
          body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.timeoutMs ?? 10_000)]),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          await this.spool.remove(item);
          this.sent++;
          failures = 0;
          continue;
        }
        if (res.status !== 408 && res.status !== 429 && res.status < 500) {
          // The target will never accept this batch: drop and count it rather than block the queue.
          this.log.warn('forward target refused a batch; dropped', { status: res.status, spans: item.spans });
          this.spool.countDropped(item.spans);
          await this.spool.remove(item);
          continue;
        }
        const ra = Number(res.headers.get('retry-after'));
        if (Number.isFinite(ra) && ra >= 0) retryAfterMs = ra * 1000;
        this.log.debug('forward target busy; retrying', { status: res.status });
      } catch (err) {
        if (!this.running) break;
        if (failures === 0) this.log.warn('forward target unreachable; retrying with backoff', { url: this.target, err });
      }
      failures++;
      const backoff = Math.min(max, min * 2 ** Math.min(failures - 1, 20));
      const delay = retryAfterMs ?? backoff * (0.5 + Math.random() / 2);
      await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = (): void => {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
