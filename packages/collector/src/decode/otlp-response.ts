// Encodes OTLP/HTTP answers in the request's format: ExportTraceServiceResponse on success,
// google.rpc.Status on failure (https://opentelemetry.io/docs/specs/otlp/#otlphttp-response).
import { encodeStatusProto, encodeTraceResponseProto, type PartialSuccess } from './otlp-proto.js';

export type OtlpFormat = 'protobuf' | 'json';

export const CONTENT_TYPE: Record<OtlpFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

/** The gRPC status code a google.rpc.Status carries for each HTTP status we send. */
const GRPC_CODE: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3, // INVALID_ARGUMENT
  429: 8, // RESOURCE_EXHAUSTED
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

export function successBody(format: OtlpFormat, partial: PartialSuccess | null): Uint8Array | string {
  if (format === 'protobuf') return encodeTraceResponseProto(partial);
  // proto3 JSON mapping writes int64 as a decimal string.
  return JSON.stringify(
    partial ? { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } } : {},
  );
}

export function statusBody(format: OtlpFormat, httpStatus: number, message: string): Uint8Array | string {
  const code = GRPC_CODE[httpStatus] ?? 2; // UNKNOWN
  if (format === 'protobuf') return encodeStatusProto(code, message);
  return JSON.stringify({ code, message });
}

/** Media type → format; null for anything else (415). */
export function formatOf(contentType: string | undefined): OtlpFormat | null {
  if (!contentType) return null;
  const media = contentType.split(';', 1)[0]!.trim().toLowerCase();
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return null;
}
