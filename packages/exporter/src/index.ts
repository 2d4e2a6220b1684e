export { AuditSpanExporter } from './exporter.js';
export type { AuditSpanExporterOptions } from './exporter.js';
export { AuditSpanProcessor } from './processor.js';
export type { AuditSpanProcessorOptions, AuditProcessorStats } from './processor.js';
export type { AuditExporterStats } from './stats.js';
export {
  GAP_SPAN_NAME,
  GAP_RECORDER_ID,
  GAP_ERROR_TYPE,
  ATTR_AGENTRAIL_GAP_COUNT,
  ATTR_AGENTRAIL_GAP_REASON,
  ATTR_AGENTRAIL_GAP_TRACE_IDS,
} from './gap.js';
export type { GapReport, GapReason } from './gap.js';
export { registerAgentAudit, keyNameFor, DEFAULT_DATA_DIR } from './register.js';
export type { RegisterAgentAuditOptions, AgentAudit, AuditKeyInfo } from './register.js';
export { ExporterShutdownError, ExporterConfigError, LedgerOpenError, AuditWriteError } from './errors.js';
