import type { AuditRecord } from '@agentrail/core';

/** One record with its place in the log. */
export interface IndexedRecord {
  index: number;
  record: AuditRecord;
}

function who(r: AuditRecord): string {
  const a = r.agent;
  if (!a) return '?';
  const name = a.name ?? a.id ?? '?';
  const id = a.id && a.id !== name ? ` (${a.id})` : '';
  const version = a.version ? `@${a.version}` : '';
  return `${name}${version}${id}`;
}

function action(r: AuditRecord): string {
  const act = r.action;
  if (!act) return '?';
  const tool = act.tool?.name;
  const detail = tool ?? act.name ?? '';
  return detail && detail !== act.operation ? `${act.operation} ${detail}` : act.operation;
}

/** One line per action: time, agent, on-behalf-of, operation/tool, resource, decision, approval, outcome, flags. */
export function formatLine(ir: IndexedRecord, depth: number): string {
  const r = ir.record;
  const parts: string[] = [];
  parts.push(`#${ir.index}`.padEnd(8));
  parts.push(r.time.start.replace('T', ' ').replace(/(\.\d{3})\d*Z$/, '$1Z'));
  parts.push('  '.repeat(depth) + action(r));
  parts.push(`agent=${who(r)}${r.agent?.verified ? '✓' : ''}`);
  if (r.principal) parts.push(`for=${r.principal.type ? r.principal.type + ':' : ''}${r.principal.id}`);
  if (r.action?.resource) parts.push(`resource=${r.action.resource.type ?? '?'}:${r.action.resource.id ?? '?'}`);
  if (r.action?.risk) parts.push(`risk=${r.action.risk}`);
  if (r.authorization) parts.push(`authz=${r.authorization.decision}${r.authorization.policyId ? `(${r.authorization.policyId})` : ''}`);
  if (r.approval) parts.push(`approval=${r.approval.status}${r.approval.approverId ? `(${r.approval.approverId})` : ''}`);
  const outcome = r.outcome?.status ?? 'unset';
  parts.push(outcome === 'error' ? `ERROR${r.outcome?.errorType ? `(${r.outcome.errorType})` : ''}` : outcome);
  if (r.flags && r.flags.length) parts.push(`[${r.flags.join(',')}]`);
  return parts.join('  ');
}

/** Render one trace: records nested under their parent span, siblings by start time. */
export function formatTrace(traceId: string, records: readonly IndexedRecord[], continued: boolean): string[] {
  const bySpan = new Map<string, IndexedRecord>();
  for (const ir of records) bySpan.set(ir.record.trace.spanId, ir);
  const children = new Map<string, IndexedRecord[]>();
  const roots: IndexedRecord[] = [];
  for (const ir of records) {
    const parent = ir.record.trace.parentSpanId;
    if (parent && bySpan.has(parent) && parent !== ir.record.trace.spanId) {
      let list = children.get(parent);
      if (!list) children.set(parent, (list = []));
      list.push(ir);
    } else roots.push(ir);
  }
  const byStart = (a: IndexedRecord, b: IndexedRecord) =>
    a.record.time.start < b.record.time.start ? -1 : a.record.time.start > b.record.time.start ? 1 : a.index - b.index;
  const lines = [`trace ${traceId}${continued ? ' (continued)' : ''}`];
  const seen = new Set<string>();
  const walk = (ir: IndexedRecord, depth: number) => {
    const id = ir.record.trace.spanId;
    if (seen.has(id)) return; // a malformed log could contain a parent cycle
    seen.add(id);
    lines.push('  ' + formatLine(ir, depth));
    for (const c of (children.get(id) ?? []).sort(byStart)) walk(c, depth + 1);
  };
  for (const r of roots.sort(byStart)) walk(r, 0);
  return lines;
}

/**
 * Groups a stream of records by trace without holding the whole log: a trace is printed once no
 * record of it arrived within the last `window` records, or at the end. Spans of a trace that
 * arrive later than that (rare: very long runs) are printed as a continued group.
 */
export class TraceGrouper {
  private readonly open = new Map<string, { records: IndexedRecord[]; lastSeen: number; continued: boolean }>();
  private readonly printed = new Set<string>();
  private seq = 0;

  constructor(
    private readonly emit: (lines: string[]) => void,
    private readonly window = 10_000,
  ) {}

  add(ir: IndexedRecord): void {
    const id = ir.record.trace.traceId;
    let g = this.open.get(id);
    if (!g) {
      g = { records: [], lastSeen: 0, continued: this.printed.has(id) };
      this.open.set(id, g);
    }
    g.records.push(ir);
    g.lastSeen = ++this.seq;
    // Map keeps insertion order; re-inserting moves the trace to the back, so the front is the stalest.
    this.open.delete(id);
    this.open.set(id, g);
    for (const [tid, og] of this.open) {
      if (this.seq - og.lastSeen <= this.window) break;
      this.flushOne(tid, og);
    }
  }

  end(): void {
    for (const [tid, g] of this.open) this.flushOne(tid, g);
  }

  private flushOne(traceId: string, g: { records: IndexedRecord[]; continued: boolean }): void {
    this.open.delete(traceId);
    // Remember printed traces only as far as needed to label continuations; bounded by design.
    if (this.printed.size > 100_000) this.printed.clear();
    this.printed.add(traceId);
    this.emit(formatTrace(traceId, g.records, g.continued));
  }
}
