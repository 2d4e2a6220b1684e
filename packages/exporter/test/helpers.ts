// Test fixtures: temp data dirs, a signer key, a real OTLP/HTTP sink on 127.0.0.1 and readers of
// what actually landed on disk.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRecord, leafHashHex, type AuditRecord } from '@agentrail/core';
import { generateKey, readLedgerEntries } from '@agentrail/ledger';

export const KEY = generateKey('test.agentrail.dev/log');

export async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agentrail-exporter-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export interface StoredRecord {
  index: number;
  hash: string;
  record: AuditRecord;
}

/** Every record in `<dataDir>/log`, read without taking the writer lock. */
export async function readRecords(dataDir: string): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for await (const { index, data } of readLedgerEntries(join(dataDir, 'log'))) {
    out.push({ index, hash: leafHashHex(data), record: decodeRecord(data) });
  }
  return out;
}

/** All bytes of every file under `dir`, concatenated (to search for leaked plaintext). */
export async function allBytes(dir: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

export interface OtlpSpanJson {
  traceId: string;
  spanId: string;
  name: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number; boolValue?: boolean } }[];
}

export interface OtlpSink {
  url: string;
  spans: OtlpSpanJson[];
  requests: number;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A tiny OTLP/HTTP JSON receiver on 127.0.0.1:0 that keeps the spans it is sent. */
export async function startOtlpJsonSink(): Promise<OtlpSink> {
  const spans: OtlpSpanJson[] = [];
  const sink = { spans, requests: 0 } as OtlpSink;
  const server: Server = createServer((req, res) => {
    void body(req).then((buf) => {
      sink.requests++;
      const msg = JSON.parse(buf.toString('utf8')) as {
        resourceSpans: { scopeSpans: { spans: OtlpSpanJson[] }[] }[];
      };
      for (const rs of msg.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  sink.url = `http://127.0.0.1:${addr.port}/v1/traces`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

export function attr(span: OtlpSpanJson, key: string): string | number | boolean | undefined {
  const v = span.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if (v.intValue !== undefined) return Number(v.intValue);
  return v.stringValue ?? v.boolValue;
}

/** A port on 127.0.0.1 with nothing listening (bound, then closed). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${addr.port}/v1/traces`;
}
