// Collector configuration: one zod schema, defaults embedded, and a loader that merges
// flags > environment (AGENTRAIL_*) > file (YAML or JSON) > defaults and reports every
// mistake with its path in one error.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CollectorConfigError } from './errors.js';

const UNITS: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
const SIZE_RE = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i;

/** A byte size: an integer, or a string such as "20MiB", "512 KB". */
const size = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(SIZE_RE, 'must be a byte count such as 1048576, "20MiB" or "512KB"')
    .transform((s) => {
      const m = SIZE_RE.exec(s)!;
      return Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]!);
    }),
], { error: 'must be a positive byte count such as 1048576, "20MiB" or "512KB"' });

const credentialSchema = z.strictObject({
  id: z.string().min(1, 'must be a non-empty credential id'),
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the token as 64 hex characters (agentrail stores no plain tokens)')
    .transform((s) => s.toLowerCase()),
  tenant: z.string().min(1).optional(),
  agentIds: z.array(z.string().min(1)).optional(),
});

export const collectorConfigSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number({ error: 'must be a port number from 0 to 65535' }).int().min(0).max(65535).default(4318),
  /** Data directory: `log/` (the ledger), the key files `<keyName>.key`/`.vkey`, `forward-spool/`. */
  dataDir: z.string().min(1).default('./agentrail-data'),
  /** Signer key file; default `<dataDir>/<keyName>.key`, created on first run. */
  keyFile: z.string().min(1).optional(),
  /** Key name (and log origin) used when a key is created. */
  keyName: z.string().min(1).default('agentrail'),
  /** Allow a non-loopback bind without credentials. */
  insecure: z.boolean().default(false),
  tls: z.strictObject({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
  auth: z.strictObject({ credentials: z.array(credentialSchema).default([]) }).prefault({}),
  /** What to do with a span claiming an agent its credential may not speak for. */
  identity: z.enum(['flag', 'reject']).default('flag'),
  /** Secret redaction of records, evidence, the forward payload and spool (built-in rules always on unless disabled). */
  redaction: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Extra rules: id (counted in records), a regular expression source and flags (g is added). */
      patterns: z.array(z.strictObject({
        id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -'),
        regex: z.string().min(1).refine(compiles, 'must be a valid regular expression'),
        flags: z.string().regex(/^[imsu]*$/, 'may only hold i, m, s, u').default(''),
      })).default([]),
      /** Found secrets kept as they are: exact texts. */
      allow: z.array(z.string().min(1)).default([]),
      /** Found secrets kept as they are: regular expression sources. */
      allowPatterns: z.array(z.string().min(1).refine(compiles, 'must be a valid regular expression')).default([]),
      /** Built-in rule ids to turn off. */
      disableRules: z.array(z.string().min(1)).default([]),
      /** Attribute names whose values are always replaced. */
      denyAttributes: z.array(z.string().min(1)).default([]),
      /** Attribute names not replaced for a credential-like name alone (values still scanned). */
      allowAttributes: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  limits: z
    .strictObject({
      /** Largest request body after decompression → 413. */
      maxBodyBytes: size.default(20 * 1024 * 1024),
      /** Decompressed request bytes admitted but not yet answered; beyond it → 429. */
      maxInFlightBytes: size.default(64 * 1024 * 1024),
      /** Concurrent export requests being handled; beyond it → 429. */
      maxInFlightRequests: z.number().int().positive().default(256),
      maxAttributes: z.number().int().positive().default(1024),
      maxValueLength: size.default(1024 * 1024),
      maxDepth: z.number().int().positive().max(64).default(32),
      /** A request body must arrive within this many ms → 408. */
      bodyTimeoutMs: z.number().int().positive().max(300_000).default(30_000),
      /** After the first 5 s, a body arriving slower than this many bytes/s is cut off → 408. */
      minBodyBytesPerSecond: z.number().int().min(0).default(1024),
      /** Seconds in Retry-After on 429/503. */
      retryAfterSeconds: z.number().int().min(1).max(3600).default(1),
    })
    .prefault({}),
  /**
   * OTLP/gRPC listener beside HTTP: `false` for none. Port default 4317, or ephemeral (0) when
   * the HTTP port is ephemeral, so embedded collectors on port 0 never collide. Host: `host`.
   */
  grpc: z.union([z.literal(false), z.strictObject({ port: z.number({ error: 'must be a port number from 0 to 65535' }).int().min(0).max(65535).optional(), host: z.string().min(1).optional() })]).default({}),
  /** Threads that decode and build records (0: on the main thread). Default: cores - 1 (at least 1, at most 4). */
  workers: z.number().int().min(0).max(64).optional(),
  /** Ledger checkpoint interval (ms); default: the ledger's own. */
  checkpointIntervalMs: z.number().int().min(0).optional(),
  forward: z
    .strictObject({
      url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4318' }),
      headers: z.record(z.string(), z.string()).default({}),
      /** Spool directory; default `<dataDir>/forward-spool`. */
      spoolDir: z.string().min(1).optional(),
      spoolMaxBytes: size.default(256 * 1024 * 1024),
      timeoutMs: z.number().int().positive().default(10_000),
    })
    .optional(),
  log: z
    .strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
      format: z.enum(['json', 'text']).default('json'),
    })
    .prefault({}),
});

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** Where the gRPC listener binds, or null for none. */
export function grpcListen(config: CollectorConfig): { host: string; port: number } | null {
  if (config.grpc === false) return null;
  return { host: config.grpc.host ?? config.host, port: config.grpc.port ?? (config.port === 0 ? 0 : 4317) };
}

/** A validated configuration with every default filled in. */
export type CollectorConfig = z.output<typeof collectorConfigSchema>;
/** What callers may pass: everything optional, sizes as numbers or "20MiB" strings. */
export type CollectorConfigInput = z.input<typeof collectorConfigSchema>;

/** Validates a configuration object; throws `CollectorConfigError` listing every problem. */
export function parseCollectorConfig(input: unknown, source = 'config'): CollectorConfig {
  const r = collectorConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => {
    const path = i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') : '(root)';
    return `${path}: ${i.message}`;
  });
  throw new CollectorConfigError(`invalid ${source}: ${issues.join('; ')}`, issues);
}

/** Command-line overrides (flags win over everything). */
export interface CollectorFlags {
  host?: string;
  port?: number | string;
  dataDir?: string;
  keyFile?: string;
  forward?: string;
  insecure?: boolean;
  /** OTLP/gRPC port, or false for no gRPC listener (`--no-grpc`). */
  grpcPort?: number | string | false;
  logLevel?: string;
  logFormat?: string;
}

export interface LoadCollectorConfigOptions {
  /** YAML or JSON config file. */
  file?: string;
  /** Environment, usually `process.env`; only `AGENTRAIL_*` names are read. */
  env?: Record<string, string | undefined>;
  flags?: CollectorFlags;
  /** Base for relative paths given by flags and env (default: process.cwd()). */
  cwd?: string;
}

/** The environment variables the collector reads, and where each goes in the config. */
export const COLLECTOR_ENV = {
  AGENTRAIL_HOST: 'host',
  AGENTRAIL_PORT: 'port',
  AGENTRAIL_DATA: 'dataDir',
  AGENTRAIL_KEY: 'keyFile',
  AGENTRAIL_FORWARD: 'forward.url',
  AGENTRAIL_INSECURE: 'insecure',
  AGENTRAIL_IDENTITY: 'identity',
  AGENTRAIL_TLS_CERT: 'tls.cert',
  AGENTRAIL_TLS_KEY: 'tls.key',
  AGENTRAIL_MAX_BODY_BYTES: 'limits.maxBodyBytes',
  AGENTRAIL_WORKERS: 'workers',
  AGENTRAIL_LOG_LEVEL: 'log.level',
  AGENTRAIL_LOG_FORMAT: 'log.format',
} as const;

/** Reads, merges and validates: flags > env > file > defaults. */
export async function loadCollectorConfig(opts: LoadCollectorConfigOptions = {}): Promise<CollectorConfig> {
  const cwd = opts.cwd ?? process.cwd();
  let merged: Record<string, unknown> = {};
  if (opts.file) merged = await readConfigFile(resolve(cwd, opts.file));

  const fromEnv: Record<string, unknown> = {};
  const envIssues: string[] = [];
  for (const [name, path] of Object.entries(COLLECTOR_ENV)) {
    const raw = opts.env?.[name];
    if (raw === undefined || raw === '') continue;
    let v: unknown = raw;
    if (path === 'port' || path === 'workers') v = /^\d+$/.test(raw) ? Number(raw) : raw;
    if (path === 'insecure') {
      if (!/^(1|0|true|false|yes|no)$/i.test(raw)) envIssues.push(`${name}: must be true or false, not "${raw}"`);
      v = /^(1|true|yes)$/i.test(raw);
    }
    if (path === 'dataDir' || path === 'keyFile' || path.startsWith('tls.')) v = resolve(cwd, raw);
    setPath(fromEnv, path, v);
  }
  if (envIssues.length) throw new CollectorConfigError(`invalid environment: ${envIssues.join('; ')}`, envIssues);
  merged = deepMerge(merged, fromEnv);

  const f = opts.flags ?? {};
  const fromFlags: Record<string, unknown> = {};
  if (f.host !== undefined) fromFlags.host = f.host;
  if (f.port !== undefined) fromFlags.port = typeof f.port === 'string' && /^\d+$/.test(f.port) ? Number(f.port) : f.port;
  if (f.dataDir !== undefined) fromFlags.dataDir = resolve(cwd, f.dataDir);
  if (f.keyFile !== undefined) fromFlags.keyFile = resolve(cwd, f.keyFile);
  if (f.forward !== undefined) setPath(fromFlags, 'forward.url', f.forward);
  if (f.insecure !== undefined) fromFlags.insecure = f.insecure;
  if (f.grpcPort === false) fromFlags.grpc = false;
  else if (f.grpcPort !== undefined) setPath(fromFlags, 'grpc.port', typeof f.grpcPort === 'string' && /^\d+$/.test(f.grpcPort) ? Number(f.grpcPort) : f.grpcPort);
  if (f.logLevel !== undefined) setPath(fromFlags, 'log.level', f.logLevel);
  if (f.logFormat !== undefined) setPath(fromFlags, 'log.format', f.logFormat);
  merged = deepMerge(merged, fromFlags);

  const config = parseCollectorConfig(merged, opts.file ? `configuration (file ${opts.file}, environment and flags)` : 'configuration');
  if (!isAbsolute(config.dataDir)) config.dataDir = resolve(cwd, config.dataDir);
  return config;
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CollectorConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let data: unknown;
  try {
    // YAML is a superset of JSON, so one parser reads both; JSON errors keep their own message.
    data = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    throw new CollectorConfigError(`config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new CollectorConfigError(`config file ${path} must hold a mapping of settings at the top level`);
  const cfg = data as Record<string, unknown>;
  // Relative paths in a file are relative to the file, so the config works from any directory.
  const base = dirname(path);
  const rel = (v: unknown): unknown => (typeof v === 'string' && v !== '' ? resolve(base, v) : v);
  if ('dataDir' in cfg) cfg.dataDir = rel(cfg.dataDir);
  if ('keyFile' in cfg) cfg.keyFile = rel(cfg.keyFile);
  if (isObj(cfg.tls)) {
    cfg.tls.cert = rel(cfg.tls.cert);
    cfg.tls.key = rel(cfg.tls.key);
  }
  if (isObj(cfg.forward) && 'spoolDir' in cfg.forward) cfg.forward.spoolDir = rel(cfg.forward.spoolDir);
  return cfg;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setPath(o: Record<string, unknown>, path: string, v: unknown): void {
  const keys = path.split('.');
  let cur = o;
  for (const k of keys.slice(0, -1)) {
    if (!isObj(cur[k])) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys.at(-1)!] = v;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}
