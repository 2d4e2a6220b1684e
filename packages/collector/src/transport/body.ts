// Reads a request body with the size limit applied to the decompressed bytes. A compressed
// bomb is stopped as soon as its output passes the limit.
import type { IncomingMessage } from 'node:http';
import { gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; status: 400 | 408 | 413 | 415; message: string };

/** How long a body may take, and the slowest rate it may arrive at (after the first `graceMs`). */
export interface BodyPace {
  timeoutMs: number;
  minBytesPerSecond: number;
  graceMs: number;
}

/** Bodies refused for their size are still read (and dropped) up to this many bytes, so the client gets the 413 rather than a reset while it is still sending. */
const DISCARD_BOUND = 256 * 1024 * 1024;

type Inflate = (buf: InputType, opts: ZlibOptions, cb: (err: Error | null, out: Buffer) => void) => void;

export async function readBody(req: IncomingMessage, limit: number, pace: BodyPace): Promise<BodyResult> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
    await discard(req, DISCARD_BOUND, pace);
    return { ok: false, status: 415, message: `unsupported Content-Encoding "${encoding}"; use gzip, deflate or none` };
  }
  const declared = Number(req.headers['content-length']);
  if (encoding === 'identity' && Number.isFinite(declared) && declared > limit) {
    await discard(req, DISCARD_BOUND, pace);
    return { ok: false, status: 413, message: `request body of ${declared} bytes exceeds the ${limit}-byte limit` };
  }
  // The wire body is bounded too: compressed data never needs more room than its output.
  let raw: Buffer | null;
  try {
    raw = await collect(req, limit, pace);
  } catch (err) {
    if (err instanceof SlowBodyError) return { ok: false, status: 408, message: err.message };
    return { ok: false, status: 400, message: (err as Error).message };
  }
  if (raw === null) {
    await discard(req, DISCARD_BOUND, pace);
    return { ok: false, status: 413, message: `request body exceeds the ${limit}-byte limit` };
  }
  if (encoding === 'identity') return { ok: true, body: raw };
  let fn: Inflate = gunzip;
  if (encoding === 'deflate') fn = looksLikeZlib(raw) ? inflate : inflateRaw; // some clients send raw deflate
  return new Promise((resolve) => {
    // maxOutputLength makes zlib stop (ERR_BUFFER_TOO_LARGE) instead of inflating the rest.
    fn(raw, { maxOutputLength: limit }, (err, out) => {
      if (!err) return resolve({ ok: true, body: out });
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return resolve({ ok: false, status: 413, message: `decompressed body exceeds the ${limit}-byte limit` });
      }
      resolve({ ok: false, status: 400, message: `corrupt ${encoding} body (${err.message})` });
    });
  });
}

function looksLikeZlib(b: Buffer): boolean {
  return b.length >= 2 && (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | b[1]!) % 31 === 0;
}

class SlowBodyError extends Error {}

/** Rejects with SlowBodyError once the body takes longer than the timeout or falls below the minimum rate. */
function watchPace(req: IncomingMessage, pace: BodyPace, received: () => number, fail: (e: Error) => void): () => void {
  const t0 = performance.now();
  const timeout = setTimeout(() => fail(new SlowBodyError(`request body not received within ${pace.timeoutMs} ms`)), pace.timeoutMs);
  // Checked once a second: a client trickling bytes holds memory and a connection, never a slot.
  const tick = setInterval(() => {
    const ms = performance.now() - t0;
    if (ms >= pace.graceMs && received() < (pace.minBytesPerSecond * ms) / 1000) {
      fail(new SlowBodyError(`request body arriving slower than ${pace.minBytesPerSecond} bytes/s`));
    }
  }, Math.min(1000, pace.graceMs || 1000));
  timeout.unref();
  tick.unref();
  const stop = (): void => {
    clearTimeout(timeout);
    clearInterval(tick);
  };
  req.once('close', stop);
  return stop;
}

/** Reads and drops the rest of the body (up to `bound` bytes or the pace limits), then resolves. */
function discard(req: IncomingMessage, bound: number, pace: BodyPace): Promise<void> {
  if (req.complete || req.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    let stop = (): void => undefined;
    const finish = (): void => {
      stop();
      req.off('data', onData);
      resolve();
    };
    const onData = (c: Buffer): void => {
      seen += c.length;
      if (seen > bound) finish();
    };
    stop = watchPace(req, pace, () => seen, finish);
    req.on('data', onData);
    req.once('end', finish);
    req.once('close', finish);
    req.resume();
  });
}

/** Collects at most `limit` bytes; resolves null (and stops collecting) once more arrive. */
function collect(req: IncomingMessage, limit: number, pace: BodyPace): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const stop = watchPace(req, pace, () => size, (e) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      reject(e);
    });
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        done = true;
        stop();
        req.off('data', onData);
        resolve(null);
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => {
      stop();
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    // A client that goes away mid-body gets no answer; report it as a bad request for the metrics.
    req.once('close', () => {
      if (!done && !req.complete) {
        done = true;
        reject(new Error('client closed the connection before sending the whole body'));
      }
    });
    req.once('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
  });
}
