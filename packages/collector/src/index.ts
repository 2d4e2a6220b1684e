// @agentrail/collector: OTLP/HTTP receiver that turns agent spans into audit records.
export { createCollector } from './collector.js';
export type { Collector, CollectorAddress, CollectorKeys, CollectorOptions } from './collector.js';
export { collectorConfigSchema, loadCollectorConfig, parseCollectorConfig, COLLECTOR_ENV } from './config.js';
export type { CollectorConfig, CollectorConfigInput, CollectorFlags, LoadCollectorConfigOptions } from './config.js';
export { createAuthenticator, hashToken, API_KEY_HEADER } from './transport/auth.js';
export type { AuthResult, Authenticator, CredentialConfig } from './transport/auth.js';
export { CollectorConfigError, CollectorStateError, InsecureBindError, OtlpDecodeError } from './errors.js';
export { decodeTraceRequestJson } from './decode/otlp-json.js';
export type { JsonDecodeOptions } from './decode/otlp-json.js';
export {
  decodeStatusProto,
  decodeTraceRequestProto,
  decodeTraceResponseProto,
  encodeStatusProto,
  encodeTraceRequestProto,
  encodeTraceResponseProto,
} from './decode/otlp-proto.js';
export type { PartialSuccess } from './decode/otlp-proto.js';
export type {
  Int64Like,
  OtlpAnyValue,
  OtlpEvent,
  OtlpKeyValue,
  OtlpLink,
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpTraceRequest,
} from './decode/otlp-model.js';
export { toNeutralSpans, DEFAULT_SPAN_LIMITS } from './decode/to-neutral.js';
export { protoSpans, protoToNeutralSpans } from './decode/proto-to-neutral.js';
export type { NeutralBatch, SpanLimits } from './decode/to-neutral.js';
export { CollectorMetrics } from './metrics.js';
export { createLogger } from './logger.js';
export type { LogFormat, LogLevel, LogSink, Logger } from './logger.js';
export { Forwarder, tracesUrl } from './forward/forward.js';
export type { ForwarderOptions } from './forward/forward.js';
export { Spool } from './forward/spool.js';
export type { SpoolItem } from './forward/spool.js';
export { TRACES_PATH } from './doors/http.js';
