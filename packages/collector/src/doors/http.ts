// The OTLP/HTTP door. Transport only, in the reference collector's order: path (404), method
// (405), auth (401), content type (415), readiness (503), body (415 unknown encoding, 413 over
// the limit after decompression, 408 too slow, 400 corrupt); then the shared export core
// (admission 429, decode 400, durable or 503) and its outcome in the request's format.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { asPipelineError, type PipelineError } from '@agentrail/core';
import type { Authenticator } from '../transport/auth.js';
import { readBody, type BodyPace } from '../transport/body.js';
import type { Logger } from '../logger.js';
import type { CollectorMetrics } from '../metrics.js';
import { CONTENT_TYPE, formatOf, statusBody, successBody, type OtlpFormat } from '../decode/otlp-response.js';
import type { ExportCore } from './export.js';

export const TRACES_PATH = '/v1/traces';

export interface HandlerDeps {
  core: ExportCore;
  auth: Authenticator;
  metrics: CollectorMetrics;
  log: Logger;
  limits: { maxBodyBytes: number; retryAfterSeconds: number };
  pace: BodyPace;
  /** false while starting or shutting down: /readyz answers 503. */
  isReady(): boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function createRequestHandler(deps: HandlerDeps): Handler {
  return (req, res) => {
    const t0 = performance.now();
    handle(deps, req, res)
      .catch((err: unknown) => {
        deps.log.error('unexpected error handling request', { err, path: req.url });
        if (!res.headersSent) send(res, 500, 'json', statusBody('json', 500, 'internal error; see the collector log'));
        else res.destroy();
      })
      .finally(() => {
        const ms = performance.now() - t0;
        if (req.url?.startsWith(TRACES_PATH)) deps.metrics.requestSeconds.observe(ms / 1000);
        deps.log.debug('request', { method: req.method, path: req.url, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
      });
  };
}

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0]!;
  if (path !== TRACES_PATH) return handleOps(deps, path, req, res);

  const requested = formatOf(req.headers['content-type']);
  const format: OtlpFormat = requested ?? 'json';
  const fail = (status: number, message: string, headers: Record<string, string> = {}): void => {
    deps.metrics.requests.inc(1, String(status));
    send(res, status, format, statusBody(format, status, message), headers);
  };
  const failWith = (err: PipelineError): void => {
    const retry: Record<string, string> = err.retryable ? { 'retry-after': String(err.retryAfterSeconds ?? deps.limits.retryAfterSeconds) } : {};
    fail(err.httpStatus, err.kind === 'bug' ? 'internal error; see the collector log' : err.message, retry);
  };

  if (req.method !== 'POST') return drainThen(req, () => fail(405, `method ${req.method} not allowed on ${TRACES_PATH}; use POST`, { allow: 'POST' }));

  const auth = deps.auth.authenticate(req.headers);
  if (!auth.ok) return drainThen(req, () => fail(401, auth.reason, { 'www-authenticate': 'Bearer realm="agentrail"' }));

  if (requested === null) {
    const ct = req.headers['content-type'] ?? '(none)';
    return drainThen(req, () => fail(415, `unsupported Content-Type ${ct}; use application/x-protobuf or application/json`));
  }

  // Readiness is decided on arrival: a request that started before shutdown is finished, not refused.
  const refusal = deps.core.refusal();
  if (refusal) return drainThen(req, () => failWith(refusal));

  const body = await readBody(req, deps.limits.maxBodyBytes, deps.pace);
  if (!body.ok) return fail(body.status, body.message, body.status === 413 || body.status === 408 ? { connection: 'close' } : {});
  let partial;
  try {
    partial = await deps.core.export({ signal: 'traces', body: body.body, format, authenticated: auth.identity });
  } catch (err) {
    return failWith(asPipelineError(err));
  }
  deps.metrics.requests.inc(1, '200');
  send(res, 200, format, successBody(format, partial));
}

function handleOps(deps: HandlerDeps, path: string, req: IncomingMessage, res: ServerResponse): void {
  const text = (status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return text(405, `method ${req.method} not allowed on ${path}\n`);
    }
    if (path === '/healthz') return text(200, 'ok\n');
    if (path === '/readyz') return deps.isReady() ? text(200, 'ready\n') : text(503, 'not ready\n');
    return text(200, deps.metrics.render(), 'text/plain; version=0.0.4; charset=utf-8');
  }
  req.resume();
  const body = statusBody('json', 404, `no such path ${path}; OTLP traces go to POST ${TRACES_PATH}`);
  send(res, 404, 'json', body);
}

function send(res: ServerResponse, status: number, format: OtlpFormat, body: Uint8Array | string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const len = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  res.writeHead(status, { 'content-type': CONTENT_TYPE[format], 'content-length': len, ...headers });
  res.end(body);
}

// Answer only once the request body has been consumed, so keep-alive connections stay in sync;
// bodies larger than a few MiB are not worth reading just to refuse them.
function drainThen(req: IncomingMessage, answer: () => void): void {
  if (req.complete || req.readableEnded) return answer();
  let seen = 0;
  const limit = 4 * 1024 * 1024;
  const onData = (c: Buffer): void => {
    seen += c.length;
    if (seen > limit) {
      req.off('data', onData);
      req.off('end', onEnd);
      answer();
      req.socket.destroySoon?.();
    }
  };
  const onEnd = (): void => answer();
  req.on('data', onData);
  req.once('end', onEnd);
}
