// RFC 8785 JSON Canonicalization Scheme. JSON.stringify already gives JCS's string escaping and
// its number form (ECMAScript Number::toString); what is left is key order (UTF-16 code units,
// which is what Array.prototype.sort compares) and rejecting what JSON cannot hold.
import { CanonicalizationError } from './errors.js';

/**
 * The RFC 8785 canonical JSON text of `value`. Like JSON.stringify, `toJSON` is honoured,
 * object properties that are undefined, functions or symbols are left out, and such values in
 * arrays become null. NaN, ±Infinity and bigint throw CanonicalizationError, as does a
 * top-level value that has no JSON form.
 */
export function canonicalize(value: unknown): string {
  const out = encode(value);
  if (out === undefined) throw new CanonicalizationError(`A value of type ${typeof value} has no JSON form.`);
  return out;
}

/**
 * A JSON string literal as JSON.stringify writes it (which is what RFC 8785 requires). Short
 * strings without characters that need escaping skip the JSON.stringify call.
 */
export function quote(s: string): string {
  if (s.length > 40) return JSON.stringify(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return '"' + s + '"';
}

function encode(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalizationError(`The number ${value} has no JSON form.`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new CanonicalizationError('A bigint has no JSON form; convert it to a number or string first.');
    case 'object':
      return value === null ? 'null' : encodeObject(value);
    default:
      return undefined; // undefined, function, symbol
  }
}

function encodeObject(value: object): string | undefined {
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return encode((toJSON as () => unknown).call(value));
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) s += ',';
      s += encode(value[i]) ?? 'null';
    }
    return s + ']';
  }
  const rec = value as Record<string, unknown>;
  const keys = Object.keys(rec);
  // Records are built with keys already in order; only sort when they are not.
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  let s = '{';
  let first = true;
  for (const k of keys) {
    const v = encode(rec[k]);
    if (v === undefined) continue;
    if (!first) s += ',';
    first = false;
    s += quote(k) + ':' + v;
  }
  return s + '}';
}
