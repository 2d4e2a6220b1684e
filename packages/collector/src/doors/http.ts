// The OTLP/HTTP request handler. Order as in the reference collector: path (404), method (405),
// auth (401), content type (415), readiness (503), concurrent requests (429), body (415 unknown
// encoding, 413 over the limit after decompression, 400 corrupt), bytes in flight (429), then
// decode (400) and consume (durable; 503 if not) on a worker, and the answer in the request's
// format.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Admission } from '../transport/admission.js';
import type { Authenticator } from '../transport/auth.js';
import { readBody } from '../transport/body.js';
import type { Forwarder } from '../forward/forward.js';
import type { Logger } from '../logger.js';
import type { CollectorMetrics } from '../metrics.js';
import type { PartialSuccess } from '../decode/otlp-proto.js';
import { CONTENT_TYPE, formatOf, statusBody, successBody, type OtlpFormat } from '../decode/otlp-response.js';
import type { SpanLimits } from '../decode/to-neutral.js';
import type { BatchProcessor } from '../work/worker-pool.js';

export const TRACES_PATH = '/v1/traces';

export interface HandlerDeps {
  processor: BatchProcessor;
  auth: Authenticator;
  admission: Admission;
  metrics: CollectorMetrics;
  log: Logger;
  forwarder: Forwarder | null;
  limits: SpanLimits & { maxBodyBytes: number; retryAfterSeconds: number };
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

  if (req.method !== 'POST') return drainThen(req, () => fail(405, `method ${req.method} not allowed on ${TRACES_PATH}; use POST`, { allow: 'POST' }));

  const auth = deps.auth.authenticate(req.headers);
  if (!auth.ok) return drainThen(req, () => fail(401, auth.reason, { 'www-authenticate': 'Bearer realm="agentrail"' }));

  if (requested === null) {
    const ct = req.headers['content-type'] ?? '(none)';
    return drainThen(req, () => fail(415, `unsupported Content-Type ${ct}; use application/x-protobuf or application/json`));
  }

  const retry = { 'retry-after': String(deps.limits.retryAfterSeconds) };
  // Readiness is decided on arrival: a request that started before shutdown is finished, not refused.
  if (!deps.isReady()) return drainThen(req, () => fail(503, 'collector is starting or shutting down; retry later', retry));
  if (!deps.admission.enterRequest()) return drainThen(req, () => fail(429, 'too many concurrent requests; retry later', retry));
  try {
    const body = await readBody(req, deps.limits.maxBodyBytes);
    if (!body.ok) return fail(body.status, body.message, body.status === 413 ? { connection: 'close' } : {});

    // Taken now: a worker may take over (detach) the body's memory.
    const size = body.body.byteLength;
    if (!deps.admission.admitBytes(size)) {
      return fail(429, `collector is at capacity (${deps.admission.inflightBytes} bytes in flight); retry later`, retry);
    }
    let outcome;
    try {
      outcome = await deps.processor.process({ body: body.body, format, authenticated: auth.identity });
    } finally {
      deps.admission.releaseBytes(size);
    }
    if (outcome.kind === 'invalid') return fail(400, outcome.message);
    if (outcome.kind === 'failed') {
      deps.log.error('unexpected error processing a request', { reason: outcome.message });
      return fail(500, 'internal error; see the collector log');
    }
    if (outcome.kind === 'unavailable') {
      // Nothing was acknowledged; the sender keeps the data and retries.
      deps.log.error('could not make records durable', { reason: outcome.message });
      return fail(503, 'audit ledger unavailable; retry later', retry);
    }
    const { recorded, flagged, skipped, rejected, firstRejection } = outcome.counts;
    const n = recorded + skipped + rejected;
    deps.metrics.spansReceived.inc(n);
    if (recorded) deps.metrics.spansRecorded.inc(recorded);
    if (flagged) deps.metrics.spansFlagged.inc(flagged);
    if (skipped) deps.metrics.spansSkipped.inc(skipped);
    if (rejected) deps.metrics.spansRejected.inc(rejected);
    if (deps.forwarder && outcome.forward) await deps.forwarder.enqueue(outcome.forward, n);

    const partial: PartialSuccess | null = rejected
      ? { rejectedSpans: rejected, errorMessage: `${rejected} of ${n} spans rejected; first: ${firstRejection}` }
      : null;
    deps.metrics.requests.inc(1, '200');
    send(res, 200, format, successBody(format, partial));
  } finally {
    deps.admission.leaveRequest();
  }
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
