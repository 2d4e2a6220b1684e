// Test support: real OpenTelemetry SDK spans, and a record schema validator.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createRequire } from 'node:module';
import { fromReadableSpan, auditRecordSchema, type NeutralSpan } from '@agentrail/core';

const require = createRequire(import.meta.url);

/** Run `fn` with a real SDK tracer; returns the finished spans in end order. */
export async function withTracer(fn: (tracer: Tracer) => Promise<void> | void, resource: Attributes = { 'service.name': 'test-agent' }): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(resource), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  await fn(provider.getTracer('agentrail-test', '1.0.0'));
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** One SDK span with these attributes, as a NeutralSpan. */
export async function neutralSpan(name: string, attributes: Attributes, opts: { error?: boolean } = {}): Promise<NeutralSpan> {
  const [s] = await withTracer((t) => {
    const span = t.startSpan(name, { attributes });
    if (opts.error) span.setStatus({ code: 2, message: 'failed' });
    span.end();
  });
  return fromReadableSpan(s!);
}

interface AjvLike {
  compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown };
}

let validator: (((data: unknown) => boolean) & { errors?: unknown }) | undefined;

/** Validate against the published JSON Schema with Ajv (draft 2020-12). */
export function assertValidRecord(record: unknown): void {
  if (!validator) {
    const Ajv2020 = require('ajv/dist/2020') as { default: new (o: object) => AjvLike };
    validator = new Ajv2020.default({ allErrors: true, strict: false }).compile(auditRecordSchema);
  }
  if (!validator(record)) throw new Error('record does not match the schema: ' + JSON.stringify(validator.errors, null, 1));
}

/** A 1 KiB-ish JSON arguments string. */
export function kibArguments(): string {
  return JSON.stringify({ to: 'ops@example.com', subject: 'Quarterly report', body: 'x'.repeat(940) });
}

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, openFileLedger, type FileLedger } from '@agentrail/ledger';

export interface TempLedger {
  dir: string;
  ledger: FileLedger;
  verifierKey: string;
  cleanup(): Promise<void>;
}

/** A real file ledger in a fresh temp dir. */
export async function tempLedger(prefix = 'agentrail-core-'): Promise<TempLedger> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const { signerKey, verifierKey } = generateKey('test.example/log');
  const ledger = await openFileLedger(join(dir, 'log'), { signerKey, checkpointIntervalMs: 10 });
  return {
    dir, ledger, verifierKey,
    async cleanup() {
      await ledger.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Concatenated bytes of every file under `dir`, for "never appears anywhere" checks. */
export function allBytesUnder(dir: string): Buffer {
  const parts: Buffer[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(readFileSync(p));
    }
  };
  walk(dir);
  return Buffer.concat(parts);
}
