export { aiSdkTelemetry, type AiSdkTelemetryOptions } from './telemetry.js';
export { auditTool, type AuditToolOptions } from './tool.js';
