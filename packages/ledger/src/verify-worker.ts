// Worker thread entry for verifyLedger: checks the chunks it is sent, one at a time, with the
// file descriptors the main thread opened (they are process-wide, so nothing is reopened).
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkVerifier, type ChunkJob } from './verify-chunk.js';
import type { WorkerReply, WorkerSetup } from './verify-pool.js';

const port = parentPort;
if (!port) throw new Error('verify-worker must run in a worker thread');
const setup = workerData as WorkerSetup;
const verifier = new ChunkVerifier(setup.files, setup.context);
let queue: Promise<void> = Promise.resolve();
let closing = false;

port.on('message', (m: ChunkJob | 'close') => {
  if (m === 'close') {
    closing = true; // queued chunks are dropped; the thread exits once the current read ends
    port.close();
    return;
  }
  queue = queue.then(async () => {
    if (closing) return;
    let reply: WorkerReply;
    try {
      reply = { chunk: m.chunk, result: await verifier.verify(m) };
    } catch (e) {
      reply = { chunk: m.chunk, error: (e as Error).message ?? String(e) };
    }
    if (!closing) port.postMessage(reply);
  });
});
