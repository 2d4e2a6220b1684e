// Prometheus text exposition (format 0.0.4), hand-written: a few counters, gauges and
// histograms are all the collector needs.

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(by = 1, label?: string): void {
    const k = label ?? '';
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  get(label?: string): number {
    return this.values.get(label ?? '') ?? 0;
  }
  render(labelName?: string): string {
    let s = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    if (this.values.size === 0) s += `${this.name} 0\n`;
    for (const [k, v] of this.values) s += k && labelName ? `${this.name}{${labelName}="${k}"} ${v}\n` : `${this.name} ${v}\n`;
    return s;
  }
}

/** A value read when scraped: a gauge, or a counter kept elsewhere (e.g. by the forwarder). */
export class Observed {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
    private readonly type: 'gauge' | 'counter' = 'gauge',
  ) {}
  render(): string {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} ${this.type}\n${this.name} ${this.read()}\n`;
  }
}

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, private readonly buckets = LATENCY_BUCKETS) {
    this.counts = new Array<number>(buckets.length).fill(0);
  }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) if (v <= this.buckets[i]!) this.counts[i]!++;
  }
  get observations(): number {
    return this.count;
  }
  render(): string {
    let s = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (let i = 0; i < this.buckets.length; i++) s += `${this.name}_bucket{le="${this.buckets[i]}"} ${this.counts[i]}\n`;
    s += `${this.name}_bucket{le="+Inf"} ${this.count}\n${this.name}_sum ${this.sum}\n${this.name}_count ${this.count}\n`;
    return s;
  }
}

export interface CollectorMetricsSources {
  ledgerSize: () => number;
  inflightBytes: () => number;
  forwardQueueDepth: () => number;
  forwardQueueBytes: () => number;
  forwardDroppedSpans: () => number;
  forwardSentBatches: () => number;
}

/** Every metric the collector exposes on /metrics. */
export class CollectorMetrics {
  readonly spansReceived = new Counter('agentrail_spans_received_total', 'Spans decoded from accepted OTLP requests.');
  readonly spansRecorded = new Counter('agentrail_spans_recorded_total', 'Spans appended to the ledger as audit records.');
  readonly spansFlagged = new Counter('agentrail_spans_flagged_total', 'Recorded spans that carry at least one flag.');
  readonly spansSkipped = new Counter('agentrail_spans_skipped_total', 'Spans that are not agent actions (not recorded, still forwarded).');
  readonly spansRejected = new Counter('agentrail_spans_rejected_total', 'Spans refused by the pipeline (reported in partial_success).');
  readonly requests = new Counter('agentrail_requests_total', 'OTLP export requests by HTTP status.');
  readonly requestSeconds = new Histogram('agentrail_request_duration_seconds', 'OTLP export request latency, from first byte to answer.');
  readonly appendSeconds = new Histogram('agentrail_append_duration_seconds', 'Ledger append latency: from handing records to the ledger until they are durable.');

  /** Values read from their owners when scraped. */
  private readonly observed: readonly Observed[];

  constructor(sources: CollectorMetricsSources) {
    this.observed = [
      new Observed('agentrail_ledger_size', 'Entries in the ledger.', sources.ledgerSize),
      new Observed('agentrail_inflight_bytes', 'Request bytes admitted and not yet answered.', sources.inflightBytes),
      new Observed('agentrail_forward_queue_depth', 'Batches waiting in the forward spool.', sources.forwardQueueDepth),
      new Observed('agentrail_forward_queue_bytes', 'Bytes waiting in the forward spool.', sources.forwardQueueBytes),
      new Observed('agentrail_forward_sent_batches_total', 'Batches delivered to the forward target.', sources.forwardSentBatches, 'counter'),
      new Observed(
        'agentrail_forward_dropped_spans_total',
        'Spans not forwarded because the spool was full or the target refused them.',
        sources.forwardDroppedSpans,
        'counter',
      ),
    ];
  }

  render(): string {
    return [
      this.spansReceived.render(),
      this.spansRecorded.render(),
      this.spansFlagged.render(),
      this.spansSkipped.render(),
      this.spansRejected.render(),
      this.requests.render('code'),
      this.requestSeconds.render(),
      this.appendSeconds.render(),
      ...this.observed.map((x) => x.render()),
    ].join('');
  }
}
