// A consume worker: decodes requests and runs the audit pipeline (record mapping, canonical
// encoding, hashing) off the main thread. Its ledger is a proxy: appends go to the main thread,
// which owns the one file ledger, so concurrent workers still share one group commit.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createAuditPipeline } from '@agentrail/core';
import { redactionOptions } from '../redaction-config.js';
import type { LedgerAppender } from '@agentrail/ledger';
import { batchError, processBatch, type BatchOutcome } from './process-batch.js';
import type { ToMain, ToWorker, WorkerInit } from './worker-protocol.js';

if (!parentPort) throw new Error('consume-worker must run in a worker thread');
const port: MessagePort = parentPort;
const init = workerData as WorkerInit;

let nextAppend = 0;
/** The consume message whose records are being built (set while processBatch runs synchronously). */
let currentBatch: number | undefined;
const pendingAppends = new Map<number, { resolve: (v: { firstIndex: number }) => void; reject: (e: Error) => void }>();

const ledger: LedgerAppender = {
  append(entries, options) {
    // One transferable buffer for the whole batch instead of cloning each entry; the leaf hashes
    // the pipeline computed travel with it (32 bytes each, after the entries), so the main
    // thread does not hash them again.
    const hashes = options?.leafHashes;
    let total = 0;
    for (const e of entries) total += e.byteLength;
    const dataBytes = total;
    if (hashes) total += hashes.length * 32;
    const buf = new Uint8Array(total);
    const ends = new Array<number>(entries.length);
    let at = 0;
    for (let i = 0; i < entries.length; i++) {
      buf.set(entries[i]!, at);
      at += entries[i]!.byteLength;
      ends[i] = at;
    }
    if (hashes) for (let i = 0; i < hashes.length; i++) buf.set(hashes[i]!, dataBytes + i * 32);
    const id = nextAppend++;
    return new Promise((resolve, reject) => {
      pendingAppends.set(id, { resolve, reject });
      const msg: ToMain = { type: 'append', id, buf, ends, leafHashes: hashes !== undefined, ...(currentBatch !== undefined ? { batch: currentBatch } : {}) };
      port.postMessage(msg, [buf.buffer]);
    });
  },
};

const pipeline = createAuditPipeline({ ledger, identity: init.identity, ...(init.redaction ? { redaction: redactionOptions(init.redaction) } : {}) });

// Requests are queued here and built one per turn of the event loop, while acknowledgements of
// appends are handled as soon as they arrive. Handled in arrival order on the one port, the
// acknowledgement of a request's append waited behind every request queued after it, each
// taking milliseconds to build: that request's answer (and the sender's next request) waited
// with it, about 12 ms on average under load.
const queue: Extract<ToWorker, { type: 'consume' }>[] = [];
let draining = false;

port.on('message', (m: ToWorker) => {
  if (m.type === 'appended') {
    const p = pendingAppends.get(m.id);
    pendingAppends.delete(m.id);
    if (!p) return;
    if (m.error === undefined) p.resolve({ firstIndex: m.firstIndex });
    else p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    return;
  }
  queue.push(m);
  if (!draining) {
    draining = true;
    setImmediate(next);
  }
});

/** Builds the next queued request's records, then yields so acknowledgements get through. */
function next(): void {
  const m = queue.shift();
  if (m === undefined) {
    draining = false;
    return;
  }
  setImmediate(next);
  consume(m);
}

function consume(m: Extract<ToWorker, { type: 'consume' }>): void {
  // The pipeline appends synchronously within this call (no await before its append), which is
  // how an append is matched with its batch; an append made later is simply not joined.
  currentBatch = m.id;
  let run: Promise<BatchOutcome>;
  try {
    run = processBatch(pipeline, { body: m.body, format: m.format, authenticated: m.authenticated }, init.limits, init.forward, m.part);
  } finally {
    currentBatch = undefined;
  }
  run.then(
    (outcome) => {
      const msg: ToMain = { type: 'done', id: m.id, outcome };
      port.postMessage(msg, outcome.kind === 'ok' && outcome.forward ? [outcome.forward.buffer as ArrayBuffer] : []);
    },
    (err: unknown) => {
      const msg: ToMain = { type: 'done', id: m.id, outcome: batchError(err) };
      port.postMessage(msg);
    },
  );
}

port.postMessage({ type: 'ready' } satisfies ToMain);
