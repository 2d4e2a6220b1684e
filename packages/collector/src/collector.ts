// createCollector: the embeddable OTLP/HTTP audit collector. `agentrail serve` is a thin
// command over it. Lifecycle as in the reference collector: shutdown is safe before start and
// twice; shutdown stops accepting, lets in-flight requests finish, then closes the ledger
// (which publishes a final checkpoint).
import { mkdir, readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as GrpcServer } from '@grpc/grpc-js';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createAuditPipeline, openAuditLog, type AuditLog, type AuditPipeline } from '@agentrail/core';
import type { Ledger, LedgerAppender } from '@agentrail/ledger';
import { Admission } from './transport/admission.js';
import { createAuthenticator } from './transport/auth.js';
import { grpcListen, parseCollectorConfig, type CollectorConfig, type CollectorConfigInput } from './config.js';
import { redactionOptions } from './redaction-config.js';
import { createExportCore, type ExportCore } from './doors/export.js';
import { bindGrpc, createGrpcServer, shutdownGrpc } from './doors/grpc.js';
import { CollectorStateError, InsecureBindError } from './errors.js';
import { Forwarder } from './forward/forward.js';
import { loadKeyFile, loadOrCreateDataDirKeys } from './keys.js';
import { createRequestHandler } from './doors/http.js';
import { createLogger, type Logger } from './logger.js';
import { CollectorMetrics } from './metrics.js';
import { Spool } from './forward/spool.js';
import { inlineProcessor, WorkerPool, type BatchProcessor } from './work/worker-pool.js';

export interface CollectorOptions {
  /** Feed this pipeline instead of opening the file ledger in `dataDir` (for embedding). */
  pipeline?: AuditPipeline;
  /** Where structured logs go; default: JSON lines on stderr at the configured level. */
  logger?: Logger;
  /** How long shutdown waits for in-flight requests before closing their connections (ms). */
  shutdownGraceMs?: number;
}

export interface CollectorAddress {
  /** e.g. `http://127.0.0.1:4318` */
  url: string;
  host: string;
  port: number;
}

export interface CollectorKeys {
  verifierKey: string;
  /** File holding the verifier key, when there is one. */
  verifierKeyPath: string | null;
  signerKeyPath: string;
  /** True when this start created the key pair. */
  created: boolean;
}

export interface Collector {
  /** Opens the ledger and listens; resolves with the bound (HTTP) address. */
  start(): Promise<CollectorAddress>;
  /** The OTLP/gRPC listener (`grpc.url` is `host:port`), or null without one or before start. */
  readonly grpcAddress: CollectorAddress | null;
  /** Stops accepting, finishes in-flight requests, closes the ledger. Safe before start and twice. */
  shutdown(): Promise<void>;
  readonly address: CollectorAddress | null;
  readonly config: CollectorConfig;
  readonly metrics: CollectorMetrics;
  /** The signing key in use (null with an injected pipeline or before start). */
  readonly keys: CollectorKeys | null;
  /** Entries in the ledger (0 with an injected pipeline). */
  readonly ledgerSize: number;
  /** Layout of the data directory. */
  readonly paths: { dataDir: string; logDir: string; spoolDir: string | null };
}

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** Validates the config (throws `CollectorConfigError` / `InsecureBindError`) and builds a collector. */
export function createCollector(input: CollectorConfigInput | CollectorConfig = {}, options: CollectorOptions = {}): Collector {
  const config = parseCollectorConfig(input);
  if (!isLoopback(config.host) && config.auth.credentials.length === 0 && !config.insecure) throw new InsecureBindError(config.host);

  const log = options.logger ?? createLogger(config.log.level, process.stderr, config.log.format);
  const dataDir = resolve(config.dataDir);
  const logDir = join(dataDir, 'log');
  const spoolDir = config.forward ? resolve(config.forward.spoolDir ?? join(dataDir, 'forward-spool')) : null;
  const admission = new Admission(config.limits.maxInFlightBytes, config.limits.maxInFlightRequests);
  const spanLimits = { maxAttributes: config.limits.maxAttributes, maxValueLength: config.limits.maxValueLength, maxDepth: config.limits.maxDepth };

  let state: State = 'new';
  let server: Server | null = null;
  let grpcServer: GrpcServer | null = null;
  let grpcAddress: CollectorAddress | null = null;
  let ledger: Ledger | null = null;
  let auditLog: AuditLog | null = null;
  let pipeline: AuditPipeline | null = options.pipeline ?? null;
  let processor: BatchProcessor | null = null;
  let forwarder: Forwarder | null = null;
  let spool: Spool | null = null;
  let address: CollectorAddress | null = null;
  let keys: CollectorKeys | null = null;
  let startPromise: Promise<CollectorAddress> | null = null;
  let shutdownPromise: Promise<void> | null = null;

  const metrics = new CollectorMetrics({
    ledgerSize: () => ledger?.size ?? 0,
    inflightBytes: () => admission.inflightBytes,
    forwardQueueDepth: () => spool?.depth ?? 0,
    forwardQueueBytes: () => spool?.bytes ?? 0,
    forwardDroppedSpans: () => spool?.droppedSpans ?? 0,
    forwardSentBatches: () => forwarder?.sentBatches ?? 0,
  });

  async function openLedger(): Promise<LedgerAppender> {
    await mkdir(dataDir, { recursive: true });
    const k = config.keyFile ? await loadKeyFile(resolve(config.keyFile)) : await loadOrCreateDataDirKeys(dataDir, config.keyName);
    keys = { verifierKey: k.verifierKey, verifierKeyPath: k.verifierKeyPath, signerKeyPath: k.signerKeyPath, created: k.created };
    // Appends from every worker and request meet in its appender; the file ledger group-commits them.
    const log = await openAuditLog({
      store: { dir: logDir },
      signerKey: k.signerKey,
      ...(config.checkpointIntervalMs !== undefined ? { checkpointIntervalMs: config.checkpointIntervalMs } : {}),
      identity: config.identity,
      redaction: redactionOptions(config.redaction),
      retryAfterSeconds: config.limits.retryAfterSeconds,
      onAppend: (seconds) => metrics.appendSeconds.observe(seconds),
    });
    auditLog = log;
    ledger = log.ledger;
    return log.appender;
  }

  function makeProcessor(appender: LedgerAppender | null): BatchProcessor {
    const forward = config.forward !== undefined;
    if (pipeline) return inlineProcessor(pipeline, spanLimits, forward);
    // One core stays with the main thread (HTTP, ledger appends, fsync); the rest build records.
    const workers = config.workers ?? Math.max(1, Math.min(availableParallelism() - 1, 4));
    if (workers === 0) return inlineProcessor(auditLog!.pipeline, spanLimits, forward);
    const helper = (ledger: LedgerAppender): BatchProcessor => inlineProcessor(createAuditPipeline({ ledger, identity: config.identity, redaction: redactionOptions(config.redaction) }), spanLimits, forward);
    return new WorkerPool(workers, { identity: config.identity, redaction: config.redaction, limits: spanLimits, forward }, appender!, log, helper);
  }

  async function listen(): Promise<CollectorAddress> {
    const isReady = (): boolean => state === 'running';
    // One export core and one authenticator behind both doors.
    const core: ExportCore = createExportCore({ processor: processor!, admission, metrics, log, forwarder, retryAfterSeconds: config.limits.retryAfterSeconds, isReady });
    const auth = createAuthenticator(config.auth.credentials);
    const tls = config.tls ? await Promise.all([readFile(config.tls.cert), readFile(config.tls.key)]).then(([cert, key]) => ({ cert, key })) : null;
    const g = grpcListen(config);
    if (g) {
      // gRPC first, then HTTP; if HTTP fails, start()'s cleanup stops gRPC again.
      grpcServer = createGrpcServer({ core, auth, metrics, log, maxBodyBytes: config.limits.maxBodyBytes });
      const port = await bindGrpc(grpcServer, g.host, g.port, tls);
      const host = g.host.includes(':') ? `[${g.host}]` : g.host;
      grpcAddress = { url: `${host}:${port}`, host: g.host, port };
    }
    const handler = createRequestHandler({
      core,
      auth,
      metrics,
      log,
      limits: config.limits,
      pace: { timeoutMs: config.limits.bodyTimeoutMs, minBytesPerSecond: config.limits.minBodyBytesPerSecond, graceMs: 5000 },
      isReady,
    });
    if (tls) {
      server = createHttpsServer(tls, handler);
    } else {
      server = createHttpServer(handler);
    }
    server.keepAliveTimeout = 30_000;
    // A client that half-closes (FIN) after its request still gets the answer: without this Node
    // aborts the request when the socket's read side ends.
    (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    const srv = server;
    await new Promise<void>((ok, fail) => {
      srv.once('error', fail);
      srv.listen(config.port, config.host, () => {
        srv.off('error', fail);
        ok();
      });
    });
    srv.on('error', (err) => log.error('server error', { err }));
    const a = srv.address() as AddressInfo;
    const scheme = config.tls ? 'https' : 'http';
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return { url: `${scheme}://${host}:${a.port}`, host: a.address, port: a.port };
  }

  async function doStart(): Promise<CollectorAddress> {
    state = 'starting';
    try {
      processor = makeProcessor(pipeline ? null : await openLedger());
      if (processor instanceof WorkerPool) await processor.ready();
      if (config.forward && spoolDir) {
        spool = await Spool.open(spoolDir, config.forward.spoolMaxBytes);
        forwarder = new Forwarder(spool, { url: config.forward.url, headers: config.forward.headers, timeoutMs: config.forward.timeoutMs }, log);
        forwarder.start();
      }
      address = await listen();
    } catch (err) {
      await release();
      state = 'stopped';
      throw err;
    }
    if ((state as State) !== 'starting') return address; // shutdown() was called meanwhile
    state = 'running';
    log.info('collector listening', {
      url: address.url,
      dataDir,
      verifierKey: keys?.verifierKey,
      verifierKeyPath: keys?.verifierKeyPath,
      grpc: grpcAddress?.url,
      forward: forwarder?.url,
      auth: config.auth.credentials.length > 0 ? 'required' : 'none',
    });
    return address;
  }

  async function release(): Promise<void> {
    if (grpcServer) await shutdownGrpc(grpcServer, 0);
    await processor?.close().catch((err: unknown) => log.error('stopping consume workers failed', { err }));
    await forwarder?.stop();
    // The audit log stops its pipeline, then closes the ledger (final checkpoint).
    await auditLog?.close().catch((err: unknown) => log.error('audit log close failed', { err }));
  }

  async function doShutdown(): Promise<void> {
    if (startPromise) await startPromise.catch(() => undefined);
    if (state === 'stopped') return;
    state = 'stopping';
    const grace = options.shutdownGraceMs ?? 10_000;
    // gRPC: new calls are refused (UNAVAILABLE to the client), calls in flight finish.
    const grpcDone = grpcServer ? shutdownGrpc(grpcServer, grace) : Promise.resolve();
    if (server) {
      const srv = server;
      const closed = new Promise<void>((ok) => srv.close(() => ok()));
      srv.closeIdleConnections();
      // In-flight requests finish (their records become durable); idle keep-alive sockets go now.
      const force = setTimeout(() => srv.closeAllConnections(), grace);
      const idle = setInterval(() => srv.closeIdleConnections(), 50);
      await closed;
      clearTimeout(force);
      clearInterval(idle);
    }
    await grpcDone;
    grpcServer = null;
    await release();
    state = 'stopped';
    log.info('collector stopped', { ledgerSize: ledger?.size });
  }

  return {
    start() {
      if (state !== 'new') throw new CollectorStateError(state === 'stopped' || state === 'stopping' ? 'collector was shut down; create a new one' : 'collector already started');
      startPromise = doStart();
      return startPromise;
    },
    shutdown() {
      if (state === 'new') {
        state = 'stopped';
        return Promise.resolve();
      }
      shutdownPromise ??= doShutdown();
      return shutdownPromise;
    },
    get address() {
      return address;
    },
    get grpcAddress() {
      return grpcAddress;
    },
    config,
    metrics,
    get keys() {
      return keys;
    },
    get ledgerSize() {
      return ledger?.size ?? 0;
    },
    paths: { dataDir, logDir, spoolDir },
  };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const h = host.replace(/^\[|\]$/g, '');
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1';
  return false;
}
