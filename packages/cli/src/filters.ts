import type { AuditRecord } from '@agentrail/core';
import { CliError } from './errors.js';

export interface RecordFilter {
  agent?: string;
  principal?: string;
  trace?: string;
  tool?: string;
  since?: string;
  until?: string;
  flag?: string;
  outcome?: string;
}

const RELATIVE = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parse `--since/--until`: RFC 3339 (`2026-11-23T10:00:00Z`, a date) or relative (`15m`, `2h`, `7d`). */
export function parseTimeBound(raw: string, now = Date.now()): number {
  const rel = RELATIVE.exec(raw);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new CliError(`time "${raw}" is neither RFC 3339 (2026-11-23T10:00:00Z) nor relative (15m, 2h, 7d)`);
  return t;
}

/** Milliseconds since the epoch of a record's RFC 3339 nanosecond timestamp. */
export function recordTimeMs(iso: string): number {
  // Date.parse ignores digits past milliseconds only in some engines; cut them to be exact.
  const m = /^(.*\.\d{3})\d*(Z|[+-]\d\d:\d\d)$/.exec(iso);
  return Date.parse(m ? m[1]! + m[2]! : iso);
}

export function compileFilter(f: RecordFilter, now = Date.now()): (r: AuditRecord) => boolean {
  const since = f.since ? parseTimeBound(f.since, now) : null;
  const until = f.until ? parseTimeBound(f.until, now) : null;
  const trace = f.trace?.toLowerCase();
  if (f.outcome && !['ok', 'error', 'unset'].includes(f.outcome)) {
    throw new CliError(`--outcome must be ok, error or unset, not "${f.outcome}"`);
  }
  return (r) => {
    if (f.agent && r.agent?.id !== f.agent && r.agent?.name !== f.agent && r.agent?.authenticated?.id !== f.agent) return false;
    if (f.principal && r.principal?.id !== f.principal) return false;
    if (trace && !r.trace.traceId.startsWith(trace)) return false;
    if (f.tool && r.action?.tool?.name !== f.tool) return false;
    if (f.flag && !(r.flags ?? []).includes(f.flag)) return false;
    if (f.outcome && r.outcome?.status !== f.outcome) return false;
    if (since !== null || until !== null) {
      const t = recordTimeMs(r.time.start);
      if (since !== null && t < since) return false;
      if (until !== null && t > until) return false;
    }
    return true;
  };
}
