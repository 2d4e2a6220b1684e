// registerAgentAudit: the one-call setup. This is an edge: the only place in the exporter that
// reads environment variables or touches key files. Precedence: options > environment > default.
import { resolve } from 'node:path';
import { context, propagation, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { EvidenceStore, RedactionOptions } from '@agentrail/core';
import { AgentContextSpanProcessor } from '@agentrail/instrumentation';
import { loadOrCreateSignerKey, verifierKeyFor } from '@agentrail/ledger';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@agentrail/semconv';
import { ExporterConfigError } from './errors.js';
import { AuditSpanExporter } from './exporter.js';
import { AuditSpanProcessor, type AuditSpanProcessorOptions } from './processor.js';

export const DEFAULT_DATA_DIR = './agentrail-data';

export interface RegisterAgentAuditOptions {
  /** `service.name` of the resource (default `OTEL_SERVICE_NAME`, then `unknown_service:node`). */
  serviceName?: string;
  serviceVersion?: string;
  /** More resource attributes. */
  resourceAttributes?: Attributes;
  /** Data directory: ledger in `log/`, key files `<keyName>.key` / `.vkey` beside it (default `./agentrail-data`). */
  dataDir?: string;
  /**
   * OTLP/HTTP traces URL to forward to (e.g. `http://localhost:4318/v1/traces` for Jaeger), or
   * `false` for none. Default: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else no forwarding.
   */
  forwardTo?: string | false;
  /** Any other `SpanExporter` to forward to; wins over `forwardTo`. */
  forwardExporter?: SpanExporter;
  /** Signer key string; default: `<dataDir>/<keyName>.key` (`loadOrCreateSignerKey`), created on first use. */
  signerKey?: string;
  /** Name of a key created on first use (default: the service name, made a valid key name). */
  keyName?: string;
  /** Checkpoint origin (default: the key name). */
  origin?: string;
  evidence?: EvidenceStore;
  redaction?: RedactionOptions;
  identity?: 'flag' | 'reject';
  /** Batching and retry settings of the audit span processor. */
  processor?: AuditSpanProcessorOptions;
  /** Extra span processors, run after the identity processor. */
  spanProcessors?: SpanProcessor[];
  /** Register the provider, an AsyncLocalStorage context manager and W3C propagators globally (default true). */
  registerGlobal?: boolean;
  /** Shut down (flush, final checkpoint) when the event loop empties (default true). */
  shutdownOnExit?: boolean;
  /** Environment to read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where one-time notices go (default: stderr). */
  log?: (line: string) => void;
}

export interface AuditKeyInfo {
  verifierKey: string;
  verifierKeyPath: string | undefined;
  /** Whether this call created the key. */
  created: boolean;
}

export interface AgentAudit {
  provider: BasicTracerProvider;
  exporter: AuditSpanExporter;
  processor: AuditSpanProcessor;
  /** The data directory in use (absolute). */
  dataDir: string;
  /** The OTLP URL spans are forwarded to, if any. */
  forwardUrl: string | undefined;
  /**
   * Resolves once the key is loaded and the ledger open, with the verifier key auditors need
   * (and its file, when the key lives in the data dir); rejects with the reason otherwise.
   */
  ready: Promise<AuditKeyInfo>;
  /** Flushes, publishes the final checkpoint and unregisters the globals it registered. */
  shutdown(): Promise<void>;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim().length > 0 ? v.trim() : undefined;
}

/** A valid signed-note key name from a service name ('+' and whitespace are not allowed). */
export function keyNameFor(serviceName: string): string {
  const name = serviceName.replace(/[+\s]+/gu, '-');
  return name.length > 0 ? name : 'agentrail';
}

function forwardUrlFrom(options: RegisterAgentAuditOptions, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (options.forwardTo === false) return undefined;
  if (options.forwardTo !== undefined) {
    if (typeof options.forwardTo !== 'string' || !URL.canParse(options.forwardTo)) {
      throw new ExporterConfigError(`forwardTo must be an http(s) URL or false, got ${JSON.stringify(options.forwardTo)}`);
    }
    return options.forwardTo;
  }
  const traces = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (traces) return traces;
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  // Per the OTLP exporter spec, the signal path is appended to the generic endpoint.
  return base ? `${base.replace(/\/+$/u, '')}/v1/traces` : undefined;
}

/**
 * Sets up tracing for an agent process in one call: a `BasicTracerProvider` whose spans get the
 * agent identity (`AgentContextSpanProcessor`), are recorded in a signed audit log under
 * `dataDir` (`AuditSpanProcessor` + `AuditSpanExporter`), and are forwarded over OTLP/HTTP when
 * a URL is configured. Creates a signer key on first use and says where its verifier key is.
 */
export function registerAgentAudit(options: RegisterAgentAuditOptions = {}): AgentAudit {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const serviceName = nonEmpty(options.serviceName) ?? nonEmpty(env.OTEL_SERVICE_NAME) ?? 'unknown_service:node';
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const keyName = options.keyName ?? keyNameFor(serviceName);
  const forwardUrl = options.forwardExporter ? undefined : forwardUrlFrom(options, env);
  const forwardTo = options.forwardExporter ?? (forwardUrl ? new OTLPTraceExporter({ url: forwardUrl }) : undefined);

  let keyInfo: AuditKeyInfo | undefined;
  const signerKey = async (): Promise<string> => {
    if (options.signerKey !== undefined) {
      keyInfo = { verifierKey: verifierKeyFor(options.signerKey), verifierKeyPath: undefined, created: false };
      return options.signerKey;
    }
    const key = await loadOrCreateSignerKey(dataDir, keyName);
    keyInfo = { verifierKey: key.verifierKey, verifierKeyPath: key.verifierKeyPath, created: key.created };
    if (key.created) {
      log(
        `agentrail: created signing key "${keyName}" for the audit log in ${dataDir} (private key file mode 0600). ` +
          `Verifier key: ${key.verifierKeyPath} - give a copy to whoever verifies the log (agentrail verify ${dataDir}).`,
      );
    }
    return key.signerKey;
  };

  const exporter = new AuditSpanExporter({
    dataDir,
    signerKey,
    ...(options.origin !== undefined ? { origin: options.origin } : {}),
    ...(forwardTo ? { forwardTo } : {}),
    ...(options.evidence ? { evidence: options.evidence } : {}),
    ...(options.redaction ? { redaction: options.redaction } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
  });
  const processor = new AuditSpanProcessor(exporter, options.processor);
  const resource = defaultResource().merge(
    resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      ...(options.serviceVersion !== undefined ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
      ...options.resourceAttributes,
    }),
  );
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new AgentContextSpanProcessor(), ...(options.spanProcessors ?? []), processor],
  });

  const registerGlobal = options.registerGlobal ?? true;
  let ownsContext = false;
  let ownsPropagation = false;
  if (registerGlobal) {
    if (!trace.setGlobalTracerProvider(provider)) {
      // Silently auditing nothing would be worse than failing at startup.
      throw new ExporterConfigError(
        'a global tracer provider is already registered; shut it down first, or pass registerGlobal: false and use the returned provider',
      );
    }
    // Another library may have set these already; theirs then stay (set* returns false).
    const contextManager = new AsyncLocalStorageContextManager().enable();
    ownsContext = context.setGlobalContextManager(contextManager);
    if (!ownsContext) contextManager.disable();
    ownsPropagation = propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    );
  }

  const ready = exporter.open().then(() => keyInfo!);
  ready.catch(() => {}); // reported through `ready` and by every export; not an unhandled rejection

  let shutdownPromise: Promise<void> | undefined;
  const onExit = () => void shutdown();
  const shutdown = (): Promise<void> => {
    shutdownPromise ??= (async () => {
      process.off('beforeExit', onExit);
      try {
        await provider.shutdown();
      } finally {
        // Unregister only what this call registered.
        if (registerGlobal) trace.disable();
        if (ownsPropagation) propagation.disable();
        if (ownsContext) context.disable();
      }
    })();
    return shutdownPromise;
  };
  if (options.shutdownOnExit ?? true) process.once('beforeExit', onExit);

  return { provider, exporter, processor, dataDir, forwardUrl, ready, shutdown };
}
