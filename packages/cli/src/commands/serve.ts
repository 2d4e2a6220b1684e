// `agentrail serve`: a thin command over @agentrail/collector's createCollector. Runs until
// SIGTERM/SIGINT (or the injected abort signal), then shuts down gracefully: stop accepting,
// finish in-flight requests, publish a final checkpoint.
import type { Writable } from 'node:stream';
import {
  CollectorConfigError,
  createCollector,
  InsecureBindError,
  loadCollectorConfig,
  type CollectorAddress,
} from '@agentrail/collector';
import { CliError } from '../errors.js';
import { writeJson, writeLine } from '../io.js';

export interface ServeOptions {
  /** YAML or JSON config file (also AGENTRAIL_CONFIG). */
  config?: string;
  /** Data directory (default ./agentrail-data). */
  data?: string;
  port?: string | number;
  /** OTLP/gRPC port (default 4317). */
  grpcPort?: string | number;
  /** false (`--no-grpc`): no OTLP/gRPC listener. */
  grpc?: boolean;
  host?: string;
  /** OTLP/HTTP endpoint to forward traces to. */
  forward?: string;
  /** Signer key file (default <data>/agentrail.key, created on first run). */
  key?: string;
  /** Allow a non-loopback bind without credentials. */
  insecure?: boolean;
  /** Print the startup summary as JSON (logs go to stderr either way). */
  json?: boolean;
}

export interface ServeIo {
  stdout: Writable;
  stderr: Writable;
  cwd?: string;
  /** Stops the server when aborted (besides SIGTERM/SIGINT). */
  signal?: AbortSignal;
  /** Environment to read AGENTRAIL_* from (default process.env). */
  env?: Record<string, string | undefined>;
}

export interface ServeResult extends CollectorAddress {
  /** The OTLP/gRPC listener as host:port, or null with --no-grpc. */
  grpcUrl: string | null;
  dataDir: string;
  logDir: string;
  verifierKey: string | null;
  verifierKeyPath: string | null;
  keyCreated: boolean;
  /** Ledger entries at shutdown. */
  ledgerSize: number;
  /** What stopped the server. */
  stoppedBy: string;
}

export async function serveCommand(opts: ServeOptions, io: ServeIo = { stdout: process.stdout, stderr: process.stderr }): Promise<ServeResult> {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const file = opts.config ?? env.AGENTRAIL_CONFIG;
  let collector;
  try {
    const config = await loadCollectorConfig({
      ...(file ? { file } : {}),
      env,
      cwd,
      flags: {
        ...(opts.host !== undefined ? { host: opts.host } : {}),
        ...(opts.port !== undefined ? { port: opts.port } : {}),
        ...(opts.grpc === false ? { grpcPort: false as const } : opts.grpcPort !== undefined ? { grpcPort: opts.grpcPort } : {}),
        ...(opts.data !== undefined ? { dataDir: opts.data } : {}),
        ...(opts.key !== undefined ? { keyFile: opts.key } : {}),
        ...(opts.forward !== undefined ? { forward: opts.forward } : {}),
        ...(opts.insecure ? { insecure: true } : {}),
      },
    });
    collector = createCollector(config);
  } catch (err) {
    if (err instanceof CollectorConfigError || err instanceof InsecureBindError) throw new CliError(err.message, 2, err.code);
    throw err;
  }

  // Listen for signals before starting, so a signal during startup still shuts down cleanly.
  let stoppedBy = '';
  let wake: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const stop = (why: string): void => {
    if (stoppedBy) return;
    stoppedBy = why;
    wake();
  };
  const onTerm = (): void => stop('SIGTERM');
  const onInt = (): void => stop('SIGINT');
  const onAbort = (): void => stop('abort');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  io.signal?.addEventListener('abort', onAbort, { once: true });
  if (io.signal?.aborted) stop('abort');

  try {
    let address: CollectorAddress;
    try {
      address = await collector.start();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE') throw new CliError(`${collector.config.host}:${collector.config.port} is already in use; pick another --port`, 2, 'ERR_CLI_ADDR_IN_USE');
      // Known startup failures (ledger locked or corrupt, key file unreadable or world-readable) are one clear line.
      if (typeof e.code === 'string' && /^ERR_(LEDGER|KEY)_/.test(e.code)) throw new CliError(e.message, 2, e.code);
      throw err;
    }
    const keys = collector.keys;
    const summary = {
      ...address,
      grpcUrl: collector.grpcAddress?.url ?? null,
      dataDir: collector.paths.dataDir,
      logDir: collector.paths.logDir,
      verifierKey: keys?.verifierKey ?? null,
      verifierKeyPath: keys?.verifierKeyPath ?? null,
      keyCreated: keys?.created ?? false,
    };
    if (opts.json) writeJson(io.stdout, summary);
    else {
      writeLine(io.stdout, `agentrail collector listening on ${address.url} (OTLP/HTTP: POST ${address.url}/v1/traces)`);
      if (summary.grpcUrl) writeLine(io.stdout, `OTLP/gRPC:    ${summary.grpcUrl} (TraceService)`);
      writeLine(io.stdout, `data:         ${summary.dataDir} (ledger in ${summary.logDir})`);
      if (summary.verifierKey) {
        writeLine(io.stdout, `verifier key: ${summary.verifierKeyPath ?? '(no file)'}${summary.keyCreated ? ' (new key created)' : ''}`);
        writeLine(io.stdout, `              ${summary.verifierKey}`);
      }
      writeLine(io.stdout, `verify with:  agentrail verify ${summary.dataDir}${summary.verifierKeyPath ? ` --vkey ${summary.verifierKeyPath}` : ''}`);
    }

    await stopped;
    await collector.shutdown();
    const result: ServeResult = { ...summary, ledgerSize: collector.ledgerSize, stoppedBy };
    if (!opts.json) writeLine(io.stdout, `stopped (${stoppedBy}); ledger holds ${result.ledgerSize} records, final checkpoint published`);
    return result;
  } finally {
    await collector.shutdown().catch(() => undefined);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    io.signal?.removeEventListener('abort', onAbort);
  }
}
