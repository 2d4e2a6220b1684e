// One ledger append for all the slices of a split request. Each slice's records are built on its
// own thread; appending them separately would cost one group commit (write + fsync) per slice,
// back to back. The join holds each slice's append until every slice has either appended or
// finished without appending (all its spans skipped or refused), then appends them together.
import type { AppendOptions, LedgerAppender } from '@agentrail/ledger';

interface Held {
  entries: readonly Uint8Array[];
  leafHashes: readonly Uint8Array[] | undefined;
  resolve: (v: { firstIndex: number }) => void;
  reject: (e: unknown) => void;
}

export class AppendJoin {
  private readonly held = new Map<number, Held>();
  private readonly settled = new Set<number>();

  constructor(
    private readonly parts: number,
    private readonly ledger: LedgerAppender,
  ) {}

  /** Slice `part`'s append; resolves once every slice's records are durable. */
  append(part: number, entries: readonly Uint8Array[], options?: AppendOptions): Promise<{ firstIndex: number }> {
    // A second append from one slice (not what the pipeline does) cannot wait for the others;
    // once every slice has settled the joint append is gone too, so this covers that case.
    if (this.settled.has(part)) return this.ledger.append(entries, options);
    return new Promise((resolve, reject) => {
      this.held.set(part, { entries, leafHashes: options?.leafHashes, resolve, reject });
      this.settled.add(part);
      this.maybeFlush();
    });
  }

  /** Slice `part` finished; if it never appended, the others need not wait for it. */
  done(part: number): void {
    if (this.settled.has(part)) return; // settled by its append: the joint append may be out already
    this.settled.add(part);
    this.maybeFlush();
  }

  /** Appends once, when the last slice settles (each slice settles once). */
  private maybeFlush(): void {
    if (this.settled.size < this.parts) return;
    // In slice order, so the request's records keep its span order in the log.
    const held = [...this.held].sort((x, y) => x[0] - y[0]).map(([, h]) => h);
    if (held.length === 0) return;
    const entries: Uint8Array[] = [];
    // Leaf hashes only when every slice supplied them, else the ledger hashes all entries.
    const hashes: Uint8Array[] | undefined = held.every((h) => h.leafHashes) ? [] : undefined;
    // (a loop, not push(...list): a long list spread as arguments can overflow the stack)
    for (const h of held) {
      for (const e of h.entries) entries.push(e);
      if (hashes) for (const x of h.leafHashes!) hashes.push(x);
    }
    this.ledger.append(entries, hashes ? { leafHashes: hashes } : undefined).then(
      ({ firstIndex }) => {
        let at = firstIndex;
        for (const h of held) {
          h.resolve({ firstIndex: at });
          at += h.entries.length;
        }
      },
      (err: unknown) => {
        for (const h of held) h.reject(err);
      },
    );
  }
}
