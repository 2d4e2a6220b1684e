// Runs processBatch on consume workers (default) or on the main thread. The main thread keeps
// HTTP, admission and the one ledger; workers do the CPU-heavy decode and record building, so
// the collector uses every core.
import { Worker } from 'node:worker_threads';
import type { AuditPipeline } from '@agentrail/core';
import type { LedgerAppender } from '@agentrail/ledger';
import type { Logger } from './logger.js';
import { processBatch, type BatchInput, type BatchOutcome } from './process-batch.js';
import type { SpanLimits } from './to-neutral.js';
import type { ToMain, ToWorker, WorkerInit } from './worker-protocol.js';

export interface BatchProcessor {
  process(input: BatchInput): Promise<BatchOutcome>;
  /** Waits for batches in progress, then stops. */
  close(): Promise<void>;
}

/** processBatch on this thread, with the given pipeline (also used for an injected pipeline). */
export function inlineProcessor(pipeline: AuditPipeline, limits: SpanLimits, forward: boolean): BatchProcessor {
  const inflight = new Set<Promise<unknown>>();
  return {
    process(input) {
      const p = processBatch(pipeline, input, limits, forward);
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      return p;
    },
    async close() {
      await Promise.allSettled([...inflight]);
    },
  };
}

interface Slot {
  worker: Worker;
  pending: Map<number, (o: BatchOutcome) => void>;
}

// From dist the worker is the compiled .js; when run from sources (tsx) it is the .ts file.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './consume-worker.ts' : './consume-worker.js', import.meta.url);

export class WorkerPool implements BatchProcessor {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closing = false;

  constructor(
    size: number,
    private readonly init: WorkerInit,
    private readonly ledger: LedgerAppender,
    private readonly log: Logger,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  process(input: BatchInput): Promise<BatchOutcome> {
    if (this.closing) return Promise.resolve({ kind: 'unavailable', message: 'collector is shutting down' });
    // Least-loaded worker; ties go to the first.
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    // Transfer the body when it owns its memory; pooled Buffers must be copied.
    const b = input.body;
    const body = b.byteOffset === 0 && b.buffer.byteLength === b.byteLength && b.buffer instanceof ArrayBuffer ? b : new Uint8Array(b);
    return new Promise((resolve) => {
      slot.pending.set(id, resolve);
      const msg: ToWorker = { type: 'consume', id, body, format: input.format, authenticated: input.authenticated };
      slot.worker.postMessage(msg, [body.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(async (s) => {
        while (s.pending.size > 0) await new Promise((r) => setTimeout(r, 5));
        await s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, { workerData: this.init });
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (m: ToMain) => {
      if (m.type === 'done') {
        const resolve = slot.pending.get(m.id);
        slot.pending.delete(m.id);
        resolve?.(m.outcome);
        return;
      }
      const entries: Uint8Array[] = new Array(m.ends.length);
      let start = 0;
      for (let i = 0; i < m.ends.length; i++) {
        entries[i] = m.buf.subarray(start, m.ends[i]);
        start = m.ends[i]!;
      }
      this.ledger.append(entries).then(
        ({ firstIndex }) => worker.postMessage({ type: 'appended', id: m.id, firstIndex } satisfies ToWorker),
        (err: Error & { code?: string }) =>
          worker.postMessage({ type: 'appended', id: m.id, error: { message: err.message, ...(err.code ? { code: err.code } : {}) } } satisfies ToWorker),
      );
    });
    worker.on('error', (err) => this.log.error('consume worker failed', { err }));
    worker.on('exit', (code) => {
      for (const resolve of slot.pending.values()) resolve({ kind: 'unavailable', message: 'consume worker exited' });
      slot.pending.clear();
      if (this.closing) return;
      this.log.warn('consume worker exited; starting a new one', { code });
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots[i] = this.spawn();
    });
    return slot;
  }
}
