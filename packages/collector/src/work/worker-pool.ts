// Runs processBatch on consume workers (default) or on the main thread. The main thread keeps
// HTTP, admission and the one ledger; workers do the CPU-heavy decode and record building, so
// the collector uses every core.
import { Worker } from 'node:worker_threads';
import type { AuditPipeline } from '@agentrail/core';
import type { LedgerAppender } from '@agentrail/ledger';
import type { Logger } from '../logger.js';
import { PipelineError } from '@agentrail/core';
import { addCounts, batchError, processBatch, type BatchInput, type BatchOutcome, type BatchPart } from './process-batch.js';
import type { SpanLimits } from '../decode/to-neutral.js';
import type { ToMain, ToWorker, WorkerInit } from './worker-protocol.js';
import { AppendJoin } from './append-join.js';

export interface BatchProcessor {
  /** Processes the request, or only the given slice of its spans. */
  process(input: BatchInput, part?: BatchPart): Promise<BatchOutcome>;
  /** Waits for batches in progress, then stops. */
  close(): Promise<void>;
}

/** processBatch on this thread, with the given pipeline (also used for an injected pipeline). */
export function inlineProcessor(pipeline: AuditPipeline, limits: SpanLimits, forward: boolean): BatchProcessor {
  const inflight = new Set<Promise<unknown>>();
  return {
    process(input, part) {
      const p = processBatch(pipeline, input, limits, forward, part).catch(
        (err: unknown): BatchOutcome => batchError(err),
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      return p;
    },
    async close() {
      await Promise.allSettled([...inflight]);
    },
  };
}

function unavailable(code: string, message: string): BatchOutcome {
  return { kind: 'error', error: new PipelineError('unavailable', code, message).toJSON() };
}

/** Requests smaller than this are not worth splitting across workers. */
const SPLIT_MIN_BYTES = 64 * 1024;

/** The body itself when it owns its whole ArrayBuffer (so it can be transferred), else a copy. */
function ownedBody(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength && b.buffer instanceof ArrayBuffer ? b : new Uint8Array(b);
}

/** A slice of a split request: its append goes through the request's join. */
interface JoinedPart {
  join: AppendJoin;
  part: number;
}

interface Slot {
  worker: Worker;
  pending: Map<number, (o: BatchOutcome) => void>;
  /** Consume messages whose records are still being built (no append or answer back yet). */
  computing: Set<number>;
  /** Its worker exited; a replacement takes the slot's place in `slots`. */
  exited: boolean;
  ready: Promise<void>;
}

// From dist the worker is the compiled .js. When running from sources (tests, through tsx) it
// is the .ts file, and the worker registers tsx itself: Node 20 does not run `--import` hooks
// in worker threads.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './consume-worker.ts' : './consume-worker.js', import.meta.url);

function startWorker(workerData: WorkerInit): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

export class WorkerPool implements BatchProcessor {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closing = false;

  /** The main thread is building records for a request (or a slice of one). */
  private helperBusy = false;
  private readonly helper: BatchProcessor | undefined;
  /** Worker consume messages that are slices of a split request, by message id. */
  private readonly joined = new Map<number, JoinedPart>();
  /** Set while the main thread's slice runs synchronously up to its append. */
  private helperPart: JoinedPart | null = null;

  /**
   * `helper` (optional) makes a processor for the main thread from the ledger it must append to.
   * It runs a batch when every worker has one queued behind the one it is building, so the main
   * thread's spare time is used too (it never takes work from an idle worker), and a slice of
   * each split request.
   */
  constructor(
    size: number,
    private readonly init: WorkerInit,
    private readonly ledger: LedgerAppender,
    private readonly log: Logger,
    helper?: (ledger: LedgerAppender) => BatchProcessor,
  ) {
    this.helper = helper?.({
      append: (entries, options) => {
        const hp = this.helperPart;
        return hp ? hp.join.append(hp.part, entries, options) : this.ledger.append(entries, options);
      },
    });
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(true));
  }

  /** Resolves once every worker has loaded; rejects if one fails to start. */
  ready(): Promise<void> {
    return Promise.all(this.slots.map((s) => s.ready)).then(() => undefined);
  }

  process(input: BatchInput): Promise<BatchOutcome> {
    if (this.closing) return Promise.resolve(unavailable('ERR_SHUTTING_DOWN', 'collector is shutting down'));
    // When every worker is idle, a large request is split across all of them and the main
    // thread (if it is idle too): each decodes the body and consumes its slice, so one request
    // uses every core and its latency is about its CPU time divided by the cores. Busy workers
    // take whole requests (no duplicated decoding). Forwarding needs the whole request in one place.
    if (!this.init.forward && input.body.byteLength >= SPLIT_MIN_BYTES && this.slots.every((s) => s.pending.size === 0)) {
      const withHelper = this.helper !== undefined && !this.helperBusy;
      if (this.slots.length + (withHelper ? 1 : 0) > 1) return this.split(input, withHelper);
    }
    // The worker with the least CPU work queued; ties go to the first. A worker whose requests
    // only wait for their group commit is idle: it gets the request, not the main thread. The
    // main thread takes one only once every worker has a request queued behind the one it is
    // building: while it builds records it answers nothing and appends nothing, which holds up
    // the requests in flight (measured: taking one as soon as the workers were busy was 2–9% slower).
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.computing.size < slot.computing.size) slot = s;
    if (this.helper && slot.computing.size >= 2 && !this.helperBusy) {
      this.helperBusy = true;
      return this.helper.process(input).finally(() => (this.helperBusy = false));
    }
    return this.send(slot, input, ownedBody(input.body));
  }

  private async split(input: BatchInput, withHelper: boolean): Promise<BatchOutcome> {
    const of = this.slots.length + (withHelper ? 1 : 0);
    const join = new AppendJoin(of, this.ledger);
    // Workers first (they start at once, on copies of the body), then this thread's slice.
    const pending = this.slots.map((slot, index) => this.send(slot, input, new Uint8Array(input.body), { index, of }, { join, part: index }));
    if (withHelper) {
      this.helperBusy = true;
      const part: JoinedPart = { join, part: of - 1 };
      this.helperPart = part;
      let run: Promise<BatchOutcome>;
      try {
        run = this.helper!.process(input, { index: of - 1, of });
      } finally {
        this.helperPart = null;
      }
      pending.push(
        run.finally(() => {
          this.helperBusy = false;
          join.done(part.part);
        }),
      );
    }
    const parts = await Promise.all(pending);
    for (const p of parts) if (p.kind !== 'ok') return p; // the same decode error in every part, or a failed append
    const ok = parts as Extract<BatchOutcome, { kind: 'ok' }>[];
    return { kind: 'ok', counts: addCounts(ok.map((p) => p.counts)), forward: null };
  }

  private send(slot: Slot, input: BatchInput, body: Uint8Array, part?: BatchPart, joined?: JoinedPart): Promise<BatchOutcome> {
    // A message to an exited worker would never be answered: the sender retries after a 503.
    if (slot.exited) return Promise.resolve(unavailable('ERR_WORKER_EXITED', 'consume worker restarting'));
    const id = this.nextId++;
    if (joined) this.joined.set(id, joined);
    return new Promise((resolve) => {
      slot.computing.add(id);
      slot.pending.set(id, (outcome) => {
        if (joined) {
          this.joined.delete(id);
          joined.join.done(joined.part);
        }
        resolve(outcome);
      });
      const msg: ToWorker = { type: 'consume', id, body, format: input.format, authenticated: input.authenticated, ...(part ? { part } : {}) };
      slot.worker.postMessage(msg, [body.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.helper?.close();
    await Promise.all(
      this.slots.map(async (s) => {
        while (s.pending.size > 0) await new Promise((r) => setTimeout(r, 5));
        await s.worker.terminate();
      }),
    );
  }

  /** `initial`: one of the workers start() waits for; a failure to start is then its error. */
  private spawn(initial: boolean): Slot {
    const worker = startWorker(this.init);
    let onReady: () => void = () => undefined;
    let onFail: (e: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    ready.catch(() => undefined); // observed through ready()
    const slot: Slot = { worker, pending: new Map(), computing: new Set(), exited: false, ready };
    let started = false;
    worker.on('message', (m: ToMain) => {
      if (m.type === 'ready') {
        started = true;
        return onReady();
      }
      if (m.type === 'done') {
        const resolve = slot.pending.get(m.id);
        slot.pending.delete(m.id);
        slot.computing.delete(m.id);
        resolve?.(m.outcome);
        return;
      }
      const entries: Uint8Array[] = new Array(m.ends.length);
      let start = 0;
      for (let i = 0; i < m.ends.length; i++) {
        entries[i] = m.buf.subarray(start, m.ends[i]);
        start = m.ends[i]!;
      }
      let leafHashes: Uint8Array[] | undefined;
      if (m.leafHashes) {
        leafHashes = new Array<Uint8Array>(m.ends.length);
        for (let i = 0; i < m.ends.length; i++) leafHashes[i] = m.buf.subarray(start + i * 32, start + (i + 1) * 32);
      }
      if (m.batch !== undefined) slot.computing.delete(m.batch);
      const jp = m.batch !== undefined ? this.joined.get(m.batch) : undefined;
      const options = leafHashes ? { leafHashes } : undefined;
      (jp ? jp.join.append(jp.part, entries, options) : this.ledger.append(entries, options)).then(
        ({ firstIndex }) => worker.postMessage({ type: 'appended', id: m.id, firstIndex } satisfies ToWorker),
        (err: Error & { code?: string }) =>
          worker.postMessage({ type: 'appended', id: m.id, error: { message: err.message, ...(err.code ? { code: err.code } : {}) } } satisfies ToWorker),
      );
    });
    worker.on('error', (err) => {
      onFail(err);
      this.log.error('consume worker failed', { err });
    });
    worker.on('exit', (code) => {
      slot.exited = true;
      onFail(new Error(`consume worker exited with code ${code} while starting`));
      for (const resolve of slot.pending.values()) resolve(unavailable('ERR_WORKER_EXITED', 'consume worker exited'));
      slot.pending.clear();
      slot.computing.clear();
      // One of the first workers that never started would fail again: that is start()'s error.
      if (this.closing || (initial && !started)) return;
      // A replacement that died while starting is tried again after a pause, not in a tight loop.
      this.log.warn('consume worker exited; starting a new one', { code });
      const replace = (): void => {
        const i = this.slots.indexOf(slot);
        if (!this.closing && i >= 0) this.slots[i] = this.spawn(false);
      };
      if (started) replace();
      else setTimeout(replace, 1000).unref();
    });
    return slot;
  }
}
