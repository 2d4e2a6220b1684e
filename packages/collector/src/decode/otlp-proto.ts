// OTLP protobuf codec: protobufjs reflection over the .proto files shipped in src/proto.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { OtlpDecodeError } from '../errors.js';
import type { OtlpTraceRequest } from './otlp-model.js';

// From src/ the protos sit beside this file; from dist/ they are read from the shipped src/proto.
function protoDir(): string {
  for (const rel of ['../proto/', '../../src/proto/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir + 'trace_service.proto')) return dir;
  }
  throw new Error('agentrail collector: OTLP .proto files not found next to the package sources');
}

const root = new protobuf.Root();
{
  const dir = protoDir();
  root.loadSync(['common.proto', 'resource.proto', 'trace.proto', 'trace_service.proto', 'status.proto'].map((f) => dir + f));
  root.resolveAll();
}

const RequestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const ResponseType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
const StatusType = root.lookupType('google.rpc.Status');
// google.rpc.RetryInfo { google.protobuf.Duration retry_delay = 1 }: the retry hint of a gRPC
// RESOURCE_EXHAUSTED / UNAVAILABLE answer (https://opentelemetry.io/docs/specs/otlp/#failures).
const RetryInfoType = protobuf.Root.fromJSON({
  nested: {
    RetryInfo: { fields: { retryDelay: { type: 'Duration', id: 1 } } },
    Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
  },
}).lookupType('RetryInfo');

/** Decodes an `ExportTraceServiceRequest`; throws `OtlpDecodeError` on malformed input. */
export function decodeTraceRequestProto(bytes: Uint8Array): OtlpTraceRequest {
  try {
    return RequestType.decode(bytes) as unknown as OtlpTraceRequest;
  } catch (err) {
    // protobufjs throws RangeError for truncation, Error for bad wire types and depth.
    const why = err instanceof Error ? err.message : String(err);
    throw new OtlpDecodeError(`malformed protobuf ExportTraceServiceRequest (${why})`);
  }
}

/** Encodes a request (for forwarding), including any attributes added after decoding. */
export function encodeTraceRequestProto(req: OtlpTraceRequest): Uint8Array {
  return RequestType.encode(req as unknown as protobuf.Message).finish();
}

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

export function encodeTraceResponseProto(partial: PartialSuccess | null): Uint8Array {
  const msg = partial ? { partialSuccess: { rejectedSpans: partial.rejectedSpans, errorMessage: partial.errorMessage } } : {};
  return ResponseType.encode(msg).finish();
}

export function decodeTraceResponseProto(bytes: Uint8Array): { partialSuccess?: PartialSuccess } {
  const m = ResponseType.toObject(ResponseType.decode(bytes), { longs: Number }) as {
    partialSuccess?: { rejectedSpans?: number; errorMessage?: string };
  };
  if (!m.partialSuccess) return {};
  return {
    partialSuccess: {
      rejectedSpans: m.partialSuccess.rejectedSpans ?? 0,
      errorMessage: m.partialSuccess.errorMessage ?? '',
    },
  };
}

/** `google.rpc.Status` — the body of every OTLP/HTTP failure response. */
export function encodeStatusProto(code: number, message: string): Uint8Array {
  return StatusType.encode({ code, message }).finish();
}

/** `google.rpc.Status` with a RetryInfo detail when a delay is given: the `grpc-status-details-bin` trailer. */
export function encodeGrpcStatusDetails(code: number, message: string, retryAfterSeconds?: number): Uint8Array {
  const details = retryAfterSeconds === undefined
    ? []
    : [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: RetryInfoType.encode({ retryDelay: { seconds: retryAfterSeconds, nanos: 0 } }).finish() }];
  return StatusType.encode({ code, message, details }).finish();
}

/** The retry delay in seconds a `grpc-status-details-bin` value carries, if any. */
export function retryDelayOfStatusDetails(bytes: Uint8Array): number | undefined {
  const m = StatusType.decode(bytes) as unknown as { details?: { typeUrl: string; value: Uint8Array }[] };
  const d = m.details?.find((x) => x.typeUrl.endsWith('/google.rpc.RetryInfo'));
  if (!d) return undefined;
  const r = RetryInfoType.toObject(RetryInfoType.decode(d.value), { longs: Number }) as { retryDelay?: { seconds?: number; nanos?: number } };
  return (r.retryDelay?.seconds ?? 0) + (r.retryDelay?.nanos ?? 0) / 1e9;
}

export function decodeStatusProto(bytes: Uint8Array): { code: number; message: string } {
  const m = StatusType.toObject(StatusType.decode(bytes)) as { code?: number; message?: string };
  return { code: m.code ?? 0, message: m.message ?? '' };
}
