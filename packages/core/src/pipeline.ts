// The one place that joins records and the ledger.
import type { LedgerAppender } from '@agentrail/ledger';
import { encodeRecordWithHash } from './codec.js';
import { InvalidOptionError, PipelineClosedError } from './errors.js';
import type { EvidenceStore } from './evidence.js';
import type { AuthenticatedIdentity } from './identity.js';
import { createRedactor, type RedactionOptions, type Redactor } from './redaction.js';
import type { NeutralSpan } from './span.js';
import { nowRfc3339 } from './time.js';
import { toAuditRecord, type RecordEvidence, type RecordOptions } from './to-record.js';

export interface ConsumeContext {
  via: 'exporter' | 'collector';
  authenticated?: AuthenticatedIdentity | null;
}

export type ConsumeResult =
  | { status: 'recorded'; index: number; recordHash: string; flags: readonly string[] }
  | { status: 'skipped' }
  | { status: 'rejected'; code: string; reason: string };

export interface PipelineStats {
  /** spans given to consume */
  received: number;
  recorded: number;
  /** not agent actions: passed through unrecorded */
  skipped: number;
  rejected: number;
  /** recorded with at least one flag */
  flagged: number;
}

export interface AuditPipeline {
  /**
   * Resolves after the ledger made every recorded span durable; one result per span, in order.
   * `spans` may be a lazy iterable (a decoder producing spans as they are needed): if iterating
   * it throws, consume rejects with that error and nothing of the batch is appended.
   */
  consume(spans: Iterable<NeutralSpan>, ctx: ConsumeContext): Promise<ConsumeResult[]>;
  /** Resolves when every consume call started before it has settled. */
  forceFlush(): Promise<void>;
  /** Stops accepting spans and waits for in-flight ones. Idempotent. Does not close the ledger. */
  shutdown(): Promise<void>;
  readonly stats: Readonly<PipelineStats>;
  /** The redactor the records are made with; whatever else is stored or sent uses it too. */
  readonly redactor?: Redactor;
}

export interface AuditPipelineOptions {
  ledger: LedgerAppender;
  /** Where salts and payloads go; without it they are discarded after committing. */
  evidence?: EvidenceStore;
  redaction?: RedactionOptions;
  /** 'flag' (default): record a mismatching claim flagged; 'reject': refuse it. */
  identity?: 'flag' | 'reject';
  maxAttributeLength?: number;
  flagUnapprovedHighRisk?: boolean;
}

const SKIPPED: ConsumeResult = Object.freeze({ status: 'skipped' });

export function createAuditPipeline(options: AuditPipelineOptions): AuditPipeline {
  if (options === null || typeof options !== 'object' || typeof options.ledger?.append !== 'function') {
    throw new InvalidOptionError('createAuditPipeline needs { ledger } with an append(entries) method.');
  }
  const identityMode = options.identity ?? 'flag';
  if (identityMode !== 'flag' && identityMode !== 'reject') {
    throw new InvalidOptionError(`identity must be "flag" or "reject", not ${JSON.stringify(identityMode)}.`);
  }
  if (options.maxAttributeLength !== undefined && !(Number.isInteger(options.maxAttributeLength) && options.maxAttributeLength >= 64)) {
    throw new InvalidOptionError('maxAttributeLength must be an integer of at least 64.');
  }
  const { ledger, evidence } = options;
  const redactor = createRedactor(options.redaction);
  const recordOptions: RecordOptions = {
    redaction: redactor,
    keepEvidence: options.evidence !== undefined,
    ...(options.maxAttributeLength !== undefined ? { maxAttributeLength: options.maxAttributeLength } : {}),
    ...(options.flagUnapprovedHighRisk !== undefined ? { flagUnapprovedHighRisk: options.flagUnapprovedHighRisk } : {}),
  };
  const stats: PipelineStats = { received: 0, recorded: 0, skipped: 0, rejected: 0, flagged: 0 };
  const inflight = new Set<Promise<unknown>>();
  let closed = false;

  async function run(spans: Iterable<NeutralSpan>, ctx: ConsumeContext): Promise<ConsumeResult[]> {
    const receivedAt = nowRfc3339();
    const results: ConsumeResult[] = [];
    const entries: Uint8Array[] = [];
    const leafHashes: Uint8Array[] = [];
    const slots: { at: number; hash: string; flags: readonly string[] }[] = [];
    const toStore: RecordEvidence[] = [];
    const recordCtx = { via: ctx.via, authenticated: ctx.authenticated ?? null, receivedAt };
    let skipped = 0;
    let rejected = 0;
    const reject = (code: string, reason: string): void => {
      results.push({ status: 'rejected', code, reason });
      rejected++;
    };
    // Each span is mapped as soon as it is produced and not kept, so a lazy source's spans die young.
    for (const span of spans) {
      let mapped;
      let encoded;
      try {
        mapped = toAuditRecord(span, recordCtx, recordOptions);
        if (mapped === null) {
          results.push(SKIPPED);
          skipped++;
          continue;
        }
        if (identityMode === 'reject' && mapped.record.flags.includes('identity_mismatch')) {
          const { agent } = mapped.record;
          reject('ERR_IDENTITY_MISMATCH', `The span claims agent ${JSON.stringify(agent.id ?? agent.name)}, which the sender's credential may not act as.`);
          continue;
        }
        encoded = encodeRecordWithHash(mapped.record);
      } catch (err) {
        // one malformed span is refused; the rest of the batch goes on
        const e = err as { code?: unknown; message?: unknown };
        reject(typeof e.code === 'string' ? e.code : 'ERR_RECORD', String(e.message));
        continue;
      }
      slots.push({ at: results.length, hash: encoded.recordHash, flags: mapped.record.flags });
      results.push(SKIPPED); // replaced by the recorded result once the ledger has the record
      entries.push(encoded.bytes);
      leafHashes.push(encoded.leafHash);
      if (evidence !== undefined && mapped.evidence !== null) toStore.push(mapped.evidence);
    }
    stats.received += results.length;
    // Evidence first: an acknowledged record's evidence is already durable.
    if (toStore.length > 0) await evidence!.put(toStore);
    let flagged = 0;
    if (entries.length > 0) {
      // The leaf hashes were computed from these exact bytes; the ledger need not hash them again.
      const { firstIndex } = await ledger.append(entries, { leafHashes });
      for (let j = 0; j < slots.length; j++) {
        const s = slots[j]!;
        results[s.at] = { status: 'recorded', index: firstIndex + j, recordHash: s.hash, flags: s.flags };
        if (s.flags.length > 0) flagged++;
      }
    }
    stats.recorded += slots.length;
    stats.flagged += flagged;
    stats.skipped += skipped;
    stats.rejected += rejected;
    return results;
  }

  return {
    consume(spans, ctx) {
      if (closed) return Promise.reject(new PipelineClosedError());
      const p = run(spans, ctx);
      inflight.add(p);
      const done = (): void => { inflight.delete(p); };
      p.then(done, done);
      return p;
    },
    async forceFlush() {
      await Promise.allSettled([...inflight]);
    },
    async shutdown() {
      closed = true;
      await Promise.allSettled([...inflight]);
    },
    get stats() {
      return { ...stats };
    },
    redactor,
  };
}
