// Reads a request body with the size limit applied to the decompressed bytes. A compressed
// bomb is stopped as soon as its output passes the limit.
import type { IncomingMessage } from 'node:http';
import { gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; status: 400 | 413 | 415; message: string };

type Inflate = (buf: InputType, opts: ZlibOptions, cb: (err: Error | null, out: Buffer) => void) => void;

export async function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip' && encoding !== 'deflate') {
    drain(req);
    return { ok: false, status: 415, message: `unsupported Content-Encoding "${encoding}"; use gzip, deflate or none` };
  }
  const declared = Number(req.headers['content-length']);
  if (encoding === 'identity' && Number.isFinite(declared) && declared > limit) {
    drain(req);
    return { ok: false, status: 413, message: `request body of ${declared} bytes exceeds the ${limit}-byte limit` };
  }
  // The wire body is bounded too: compressed data never needs more room than its output.
  let raw: Buffer | null;
  try {
    raw = await collect(req, limit);
  } catch (err) {
    return { ok: false, status: 400, message: (err as Error).message };
  }
  if (raw === null) return { ok: false, status: 413, message: `request body exceeds the ${limit}-byte limit` };
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

/** Collects at most `limit` bytes; resolves null (and stops reading) once more arrive. */
function collect(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        done = true;
        req.off('data', onData);
        drain(req);
        resolve(null);
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => {
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

// Discard the rest of the body so the connection stays usable for the answer.
function drain(req: IncomingMessage): void {
  req.resume();
}
