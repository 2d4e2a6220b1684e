// Gap markers: when spans are lost before they reach the ledger, the ledger records that fact
// (how many, when, why, which traces) so the loss is tamper-evident instead of silent.
import { randomBytes } from 'node:crypto';
import type { NeutralSpan } from '@agentrail/core';
import { ATTR_AGENTRAIL_AGENT_ID, ATTR_AGENTRAIL_AGENT_NAME, ATTR_ERROR_TYPE, ATTR_SERVICE_NAME } from '@agentrail/semconv';

export type GapReason = 'queue_full' | 'export_failed' | 'after_shutdown';

/** What was lost: `count` spans that ended between `firstEndTime` and `lastEndTime`. */
export interface GapReport {
  count: number;
  reason: GapReason;
  /** End time of the first and last lost span, in ms since the epoch. */
  firstEndTime: number;
  lastEndTime: number;
  /** Up to 32 distinct trace ids of lost spans, to find the affected runs. */
  traceIds: readonly string[];
  /** `service.name` of the process that lost them, if known. */
  service?: string;
}

/** Span and attribute names of gap markers. */
export const GAP_SPAN_NAME = 'agentrail.gap' as const;
export const ATTR_AGENTRAIL_GAP_COUNT = 'agentrail.gap.count' as const;
export const ATTR_AGENTRAIL_GAP_REASON = 'agentrail.gap.reason' as const;
export const ATTR_AGENTRAIL_GAP_TRACE_IDS = 'agentrail.gap.trace_ids' as const;
/** `error.type` (and so the record's outcome.errorType) of a gap marker. */
export const GAP_ERROR_TYPE = 'agentrail.spans_lost' as const;
/** Identity the marker is attributed to: the exporter itself, not any agent. */
export const GAP_RECORDER_ID = 'agentrail.exporter' as const;

const MAX_TRACE_IDS = 32;

function msToNs(ms: number): bigint {
  return BigInt(Math.round(ms)) * 1_000_000n;
}

/** Accumulates lost spans until a gap marker is written. */
export class GapCounter {
  #count = 0;
  #first = 0;
  #last = 0;
  #reason: GapReason = 'queue_full';
  readonly #traceIds = new Set<string>();
  #service: string | undefined;

  get count(): number {
    return this.#count;
  }

  add(endTimeMs: number, traceId: string, reason: GapReason, service?: string): void {
    if (service !== undefined) this.#service = service;
    this.#merge(1, endTimeMs, endTimeMs, reason);
    if (this.#traceIds.size < MAX_TRACE_IDS) this.#traceIds.add(traceId);
  }

  /** The accumulated gap, and a fresh counter state. */
  take(): GapReport | undefined {
    if (this.#count === 0) return undefined;
    const report: GapReport = {
      count: this.#count,
      reason: this.#reason,
      firstEndTime: this.#first,
      lastEndTime: this.#last,
      traceIds: [...this.#traceIds],
      ...(this.#service !== undefined ? { service: this.#service } : {}),
    };
    this.#count = 0;
    this.#traceIds.clear();
    return report;
  }

  /** Puts back a gap that could not be written, merging it with what came since. */
  restore(report: GapReport): void {
    this.#merge(report.count, report.firstEndTime, report.lastEndTime, report.reason);
    if (this.#service === undefined && report.service !== undefined) this.#service = report.service;
    for (const t of report.traceIds) if (this.#traceIds.size < MAX_TRACE_IDS) this.#traceIds.add(t);
  }

  #merge(count: number, first: number, last: number, reason: GapReason): void {
    if (this.#count === 0) {
      this.#first = first;
      this.#last = last;
      this.#reason = reason;
    } else {
      this.#first = Math.min(this.#first, first);
      this.#last = Math.max(this.#last, last);
      // A mixed gap is reported by its worst cause: spans that reached the exporter and failed.
      if (reason === 'export_failed') this.#reason = reason;
    }
    this.#count += count;
  }
}

/** The synthetic span a gap marker is recorded from. */
export function gapSpan(gap: GapReport): NeutralSpan {
  return {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: null,
    name: GAP_SPAN_NAME,
    kind: 1,
    startTimeUnixNano: msToNs(gap.firstEndTime),
    endTimeUnixNano: msToNs(Math.max(gap.lastEndTime, gap.firstEndTime)),
    attributes: {
      [ATTR_AGENTRAIL_AGENT_ID]: GAP_RECORDER_ID,
      [ATTR_AGENTRAIL_AGENT_NAME]: 'agentrail audit exporter',
      [ATTR_AGENTRAIL_GAP_COUNT]: gap.count,
      [ATTR_AGENTRAIL_GAP_REASON]: gap.reason,
      [ATTR_AGENTRAIL_GAP_TRACE_IDS]: [...gap.traceIds],
      [ATTR_ERROR_TYPE]: GAP_ERROR_TYPE,
    },
    resource: gap.service !== undefined ? { [ATTR_SERVICE_NAME]: gap.service } : {},
    scope: { name: '@agentrail/exporter' },
    status: { code: 2, message: `${gap.count} spans were lost before reaching the audit log (${gap.reason})` },
    events: [],
  };
}
