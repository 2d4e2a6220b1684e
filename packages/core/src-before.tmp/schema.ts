// The published JSON Schema of AuditRecord v1 (also at `@agentrail/core/schema.json`).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** JSON Schema (draft 2020-12) of AuditRecord v1. */
export const auditRecordSchema: Readonly<Record<string, unknown>> = require('../schema/audit-record-v1.schema.json') as Record<string, unknown>;
