// RFC 3339 timestamps with nanosecond precision, UTC.

const NS_PER_S = 1_000_000_000n;

// Spans of one batch mostly share their second: cache the formatted "YYYY-MM-DDTHH:MM:SS" part,
// keyed by the decimal seconds, so the common case needs no bigint division.
let cachedSecond = '';
let cachedPrefix = '';

function secondPrefix(second: bigint): string {
  return new Date(Number(second) * 1000).toISOString().slice(0, 19);
}

/** `2026-01-02T03:04:05.123456789Z` for nanoseconds since the Unix epoch. */
export function rfc3339Nano(unixNano: bigint): string {
  const digits = String(unixNano);
  // ≥ 1 s after the epoch: the last nine digits are the fraction, the rest the seconds
  if (digits.length > 9 && digits.charCodeAt(0) !== 0x2d) {
    const second = digits.slice(0, -9);
    if (second !== cachedSecond) {
      cachedPrefix = secondPrefix(BigInt(second));
      cachedSecond = second;
    }
    return cachedPrefix + '.' + digits.slice(-9) + 'Z';
  }
  let second = unixNano / NS_PER_S;
  let frac = unixNano % NS_PER_S;
  if (frac < 0n) {
    frac += NS_PER_S;
    second -= 1n;
  }
  return secondPrefix(second) + '.' + String(frac).padStart(9, '0') + 'Z';
}

/** Current time in the same format (millisecond resolution, zero-padded). */
export function nowRfc3339(): string {
  return new Date().toISOString().slice(0, -1) + '000000Z';
}
