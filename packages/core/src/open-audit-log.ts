// The one way to open an audit log (as Tessera's NewAppender): options validated once, the
// store opened, pushback wrapped around appends, and the pipeline made over it. The exporter and
// the collector both call this; keys and environment stay at their edges.
import { openFileLedger, type AppendOptions, type Ledger, type LedgerAppender } from '@agentrail/ledger';
import { InvalidOptionError } from './errors.js';
import type { EvidenceStore } from './evidence.js';
import { createAuditPipeline, type AuditPipeline } from './pipeline.js';
import { PushbackError } from './pipeline-error.js';
import type { RedactionOptions } from './redaction.js';

/** Default limit of entries handed to the ledger and not yet durable (Tessera's default). */
export const DEFAULT_PUSHBACK_ENTRIES = 4096 * 16;

export interface AuditLogOptions {
  /** A file ledger directory (opened and closed here), or an open ledger (left open). */
  store: { dir: string } | { ledger: Ledger };
  /** Go note signer key; needed with `store.dir`. */
  signerKey?: string;
  origin?: string;
  /** Checkpoint policy: publish at most this often (ms). */
  checkpointIntervalMs?: number;
  /** Entries outstanding (appended, not yet durable) beyond which appends fail with PushbackError. */
  pushbackEntries?: number;
  /** Seconds a PushbackError tells the sender to wait. */
  retryAfterSeconds?: number;
  /** Witnesses that cosign checkpoints (filled by the witness support; none yet). */
  witnesses?: readonly unknown[];
  /** Called with the seconds each append took (metrics). */
  onAppend?: (seconds: number) => void;
  identity?: 'flag' | 'reject';
  evidence?: EvidenceStore;
  redaction?: RedactionOptions;
}

export interface AuditLog {
  readonly ledger: Ledger;
  /** Appends with pushback and timing applied: what pipelines (and worker proxies) append to. */
  readonly appender: LedgerAppender;
  /** A pipeline over `appender`. */
  readonly pipeline: AuditPipeline;
  /** Stops the pipeline, then closes the ledger if it was opened here (final checkpoint). */
  close(): Promise<void>;
}

export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const limit = options.pushbackEntries ?? DEFAULT_PUSHBACK_ENTRIES;
  if (!(Number.isInteger(limit) && limit > 0)) throw new InvalidOptionError('pushbackEntries must be a positive integer.');
  if ('dir' in options.store && typeof options.signerKey !== 'string') throw new InvalidOptionError('openAuditLog needs signerKey to open a file ledger.');
  const owns = 'dir' in options.store;
  const ledger: Ledger = 'dir' in options.store
    ? await openFileLedger(options.store.dir, {
        signerKey: options.signerKey!,
        ...(options.origin !== undefined ? { origin: options.origin } : {}),
        ...(options.checkpointIntervalMs !== undefined ? { checkpointIntervalMs: options.checkpointIntervalMs } : {}),
      })
    : options.store.ledger;
  let outstanding = 0;
  const onAppend = options.onAppend;
  const appender: LedgerAppender = {
    async append(entries: readonly Uint8Array[], appendOptions?: AppendOptions) {
      // A lone batch always goes through, so one large request still makes progress.
      if (outstanding > 0 && outstanding + entries.length > limit) {
        throw new PushbackError(`${outstanding} entries are waiting to be made durable; retry later`, options.retryAfterSeconds ?? 1);
      }
      outstanding += entries.length;
      const t0 = performance.now();
      try {
        return await ledger.append(entries, appendOptions);
      } finally {
        outstanding -= entries.length;
        onAppend?.((performance.now() - t0) / 1000);
      }
    },
  };
  const pipeline = createAuditPipeline({
    ledger: appender,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.evidence ? { evidence: options.evidence } : {}),
    ...(options.redaction ? { redaction: options.redaction } : {}),
  });
  return {
    ledger,
    appender,
    pipeline,
    async close() {
      await pipeline.shutdown();
      if (owns) await ledger.close();
    },
  };
}
