// RFC 3339 timestamps with nanosecond precision, UTC.

const NS_PER_S = 1_000_000_000n;

// Spans of one batch mostly share their second: cache the formatted "YYYY-MM-DDTHH:MM:SS" part.
let cachedSecond = Number.NaN;
let cachedPrefix = '';

function secondPrefix(second: number): string {
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    cachedSecond = second;
  }
  return cachedPrefix;
}

/** `2026-01-02T03:04:05.123456789Z` for nanoseconds since the Unix epoch. */
export function rfc3339Nano(unixNano: bigint): string {
  let second = unixNano / NS_PER_S;
  let frac = unixNano % NS_PER_S;
  if (frac < 0n) {
    frac += NS_PER_S;
    second -= 1n;
  }
  return secondPrefix(Number(second)) + '.' + String(frac).padStart(9, '0') + 'Z';
}

/** Current time in the same format (millisecond resolution, zero-padded). */
export function nowRfc3339(): string {
  return new Date().toISOString().slice(0, -1) + '000000Z';
}
