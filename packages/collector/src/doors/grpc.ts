// The OTLP/gRPC door: TraceService/Export over @grpc/grpc-js. Transport only: grpc-js reads and
// decompresses the message (gzip) within the size limit (RESOURCE_EXHAUSTED), credentials come
// from the `authorization` / `x-api-key` metadata, and the request bytes go to the same export
// core and protobuf decoder as OTLP/HTTP. Failures map through the one PipelineError table;
// retryable ones carry a RetryInfo detail.
import * as grpc from '@grpc/grpc-js';
import { asPipelineError, PipelineError } from '@agentrail/core';
import { encodeGrpcStatusDetails, encodeTraceResponseProto } from '../decode/otlp-proto.js';
import type { Logger } from '../logger.js';
import type { CollectorMetrics } from '../metrics.js';
import type { Authenticator } from '../transport/auth.js';
import type { ExportCore, Signal } from './export.js';

export interface GrpcDoorDeps {
  core: ExportCore;
  auth: Authenticator;
  metrics: CollectorMetrics;
  log: Logger;
  maxBodyBytes: number;
}

const SERVICES: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
};

const bytes = (b: Buffer): Buffer => b;

/** A grpc-js server with the OTLP services registered (not yet bound). */
export function createGrpcServer(deps: GrpcDoorDeps): grpc.Server {
  const server = new grpc.Server({
    // After decompression, as for HTTP; over it grpc-js answers RESOURCE_EXHAUSTED.
    'grpc.max_receive_message_length': deps.maxBodyBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });
  for (const signal of Object.keys(SERVICES) as Signal[]) {
    const definition: grpc.ServiceDefinition = {
      Export: {
        path: SERVICES[signal],
        requestStream: false,
        responseStream: false,
        // Raw bytes both ways: the shared decoder (on a worker) decodes, not grpc-js.
        requestSerialize: bytes,
        requestDeserialize: bytes,
        responseSerialize: bytes,
        responseDeserialize: bytes,
      },
    };
    server.addService(definition, { Export: exportHandler(deps, signal) });
  }
  return server;
}

function exportHandler(deps: GrpcDoorDeps, signal: Signal): grpc.handleUnaryCall<Buffer, Uint8Array> {
  return (call, callback) => {
    const t0 = performance.now();
    const done = (err: grpc.ServiceError | null, value?: Uint8Array, label = 'OK'): void => {
      deps.metrics.requests.inc(1, `grpc_${label}`);
      deps.metrics.requestSeconds.observe((performance.now() - t0) / 1000);
      callback(err, value);
    };
    const failWith = (err: PipelineError): void => done(toServiceError(err), undefined, grpc.status[err.grpcStatus] ?? String(err.grpcStatus));

    const refusal = deps.core.refusal();
    if (refusal) return failWith(refusal);
    const auth = deps.auth.authenticate(headersOf(call.metadata));
    if (!auth.ok) return failWith(new PipelineError('unauthenticated', 'ERR_UNAUTHENTICATED', auth.reason));
    deps.core.export({ signal, body: call.request, format: 'protobuf', authenticated: auth.identity }).then(
      (partial) => done(null, encodeTraceResponseProto(partial)),
      (err: unknown) => {
        const e = asPipelineError(err);
        if (e.kind === 'bug') deps.log.error('unexpected error handling a gRPC export', { err });
        failWith(e);
      },
    );
  };
}

/** The credential metadata as the headers the shared authenticator reads. */
function headersOf(md: grpc.Metadata): Record<string, string | undefined> {
  const first = (k: string): string | undefined => {
    const v = md.get(k)[0];
    return typeof v === 'string' ? v : undefined;
  };
  return { authorization: first('authorization'), 'x-api-key': first('x-api-key') };
}

function toServiceError(err: PipelineError): grpc.ServiceError {
  const code = err.grpcStatus as grpc.status;
  const message = err.kind === 'bug' ? 'internal error; see the collector log' : err.message;
  const metadata = new grpc.Metadata();
  if (err.retryable) {
    metadata.set('grpc-status-details-bin', Buffer.from(encodeGrpcStatusDetails(code, message, err.retryAfterSeconds ?? 1)));
  }
  return Object.assign(new Error(message), { code, details: message, metadata }) as grpc.ServiceError;
}

/** Binds `host:port` (0: ephemeral) without TLS, or with the given cert and key; resolves with the port. */
export function bindGrpc(server: grpc.Server, host: string, port: number, tls: { cert: Buffer; key: Buffer } | null): Promise<number> {
  const creds = tls ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }], false) : grpc.ServerCredentials.createInsecure();
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return new Promise((ok, fail) => server.bindAsync(`${h}:${port}`, creds, (err, bound) => (err ? fail(err) : ok(bound))));
}

/** Stops accepting, lets calls in flight finish for up to `graceMs`, then cancels the rest. */
export function shutdownGrpc(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((ok) => {
    const force = setTimeout(() => {
      server.forceShutdown();
      ok();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      ok();
    });
  });
}

