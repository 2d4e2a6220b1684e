// Where verifyLedger's chunk checks run: on worker threads for large logs (one per core), or in
// this thread for small ones. If a worker cannot start or dies, its chunks run here instead, so
// the findings never depend on threads being available.
import { Worker } from 'node:worker_threads';
import { LedgerError } from './errors.js';
import { ChunkVerifier, type ChunkContext, type ChunkFiles, type ChunkJob, type ChunkResult } from './verify-chunk.js';

export interface WorkerSetup {
  files: ChunkFiles;
  context: ChunkContext;
}

export type WorkerReply = { chunk: number; result: ChunkResult } | { chunk: number; error: string };

export interface ChunkRunner {
  run(job: ChunkJob): Promise<ChunkResult>;
  /** Stops every thread; resolves once none can touch the files any more. */
  close(): Promise<void>;
}

/** Checks chunks in this thread, one after another. */
export class InProcessRunner implements ChunkRunner {
  readonly #verifier: ChunkVerifier;
  #last: Promise<unknown> = Promise.resolve();

  constructor(setup: WorkerSetup) {
    this.#verifier = new ChunkVerifier(setup.files, setup.context);
  }

  run(job: ChunkJob): Promise<ChunkResult> {
    const p = this.#last.then(() => this.#verifier.verify(job));
    this.#last = p.catch(() => {});
    return p;
  }

  async close(): Promise<void> {
    await this.#last;
  }
}

interface Pending {
  job: ChunkJob;
  resolve: (r: ChunkResult) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
  exited: Promise<unknown>;
}

/** Checks chunks on worker threads; each job goes to the worker with the fewest queued. */
export class WorkerPool implements ChunkRunner {
  readonly #setup: WorkerSetup;
  readonly #slots: Slot[];
  #fallback: InProcessRunner | undefined;
  #closing = false;

  constructor(threads: number, setup: WorkerSetup) {
    this.#setup = setup;
    this.#slots = [];
    for (let i = 0; i < threads; i++) {
      const slot = this.#start();
      if (slot) this.#slots.push(slot);
    }
  }

  run(job: ChunkJob): Promise<ChunkResult> {
    let best: Slot | undefined;
    for (const s of this.#slots) if (s.alive && (!best || s.pending.size < best.pending.size)) best = s;
    if (!best) return this.#inProcess(job);
    const slot = best;
    return new Promise<ChunkResult>((resolve, reject) => {
      slot.pending.set(job.chunk, { job, resolve, reject });
      slot.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    for (const s of this.#slots) if (s.alive) s.worker.postMessage('close');
    await Promise.all(this.#slots.map((s) => s.exited));
    await this.#fallback?.close();
  }

  #start(): Slot | undefined {
    let worker: Worker;
    try {
      worker = startWorker(this.#setup);
    } catch {
      return undefined; // e.g. flags a worker refuses: this thread does the work
    }
    const slot: Slot = { worker, pending: new Map(), alive: true, exited: new Promise((resolve) => worker.once('exit', resolve)) };
    worker.on('message', (m: WorkerReply) => {
      const p = slot.pending.get(m.chunk);
      if (!p) return;
      slot.pending.delete(m.chunk);
      if ('result' in m) p.resolve(m.result);
      else p.reject(new LedgerError('ERR_LEDGER_NOT_FOUND', `Cannot read the log: ${m.error}.`));
    });
    worker.on('error', () => {}); // followed by 'exit', handled there
    worker.on('exit', () => {
      slot.alive = false;
      const orphans = [...slot.pending.values()];
      slot.pending.clear();
      for (const p of orphans) {
        if (this.#closing) p.reject(new LedgerError('ERR_INVALID_ARGUMENT', 'Verification was stopped.'));
        else this.#inProcess(p.job).then(p.resolve, p.reject);
      }
    });
    return slot;
  }

  #inProcess(job: ChunkJob): Promise<ChunkResult> {
    this.#fallback ??= new InProcessRunner(this.#setup);
    return this.#fallback.run(job);
  }
}

/** Start a verify worker from the built JavaScript, or from the TypeScript sources under tsx. */
function startWorker(setup: WorkerSetup): Worker {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const entry = JSON.stringify(new URL(fromSource ? './verify-worker.ts' : './verify-worker.js', here).href);
  // A one-line bootstrap that imports the worker module: unlike a file entry it also starts
  // under `node --input-type=module -e`, whose flag workers inherit.
  let boot = `import(${entry});`;
  if (fromSource) {
    // Node 20 workers do not inherit the parent's --import loader: register tsx again inside.
    let loader: string | undefined;
    try {
      loader = import.meta.resolve('tsx/esm/api');
    } catch {
      loader = undefined; // a runtime that loads .ts itself, or none: the in-process fallback covers it
    }
    if (loader) boot = `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${entry}); });`;
  }
  // A chunk's garbage is short-lived hash buffers: a small young generation collects it cheaply,
  // and the capped heap keeps each worker's memory flat however long the log is.
  return new Worker(boot, { eval: true, workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 } });
}
