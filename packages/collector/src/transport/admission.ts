// Admission control: bounds the requests and (decompressed) request bytes held in memory while
// their records become durable. Over a bound the collector answers 429 with Retry-After
// instead of queueing without limit.

export class Admission {
  private bytes = 0;
  private requests = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxRequests: number,
  ) {}

  get inflightBytes(): number {
    return this.bytes;
  }
  get inflightRequests(): number {
    return this.requests;
  }

  /** Called when a request arrives, before its body is read. */
  enterRequest(): boolean {
    if (this.requests >= this.maxRequests) return false;
    this.requests++;
    return true;
  }

  leaveRequest(): void {
    this.requests--;
  }

  /** Admits a decompressed body; a lone request is always admitted so large batches still progress. */
  admitBytes(n: number): boolean {
    if (this.bytes > 0 && this.bytes + n > this.maxBytes) return false;
    this.bytes += n;
    return true;
  }

  releaseBytes(n: number): void {
    this.bytes -= n;
  }
}
