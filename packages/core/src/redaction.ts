// Secret redaction for attribute values that are not payloads. A cheap pre-filter decides
// whether a string can hold any known secret before the specific patterns run.
import type { AttributeValue } from '@agentrail/semconv';
import { InvalidOptionError } from './errors.js';

export interface RedactionPattern {
  /** Short name shown in the replacement, e.g. "openai_key". */
  name: string;
  /** Must be global (`g`). Group 1, when present, is kept (e.g. a URL's user part). */
  pattern: RegExp;
}

export interface RedactionOptions {
  /** Default true. */
  enabled?: boolean;
  /** Extra patterns, run on every string after the built-in ones. */
  patterns?: readonly RedactionPattern[];
  /** Attribute names whose whole value is replaced: exact names or regular expressions. */
  denyAttributes?: readonly (string | RegExp)[];
  /** Default true: also deny attributes whose last name segment is a credential word (password, api_key, authorization, cookie, ...). */
  denyCredentialNames?: boolean;
}

export const REDACTED = '[REDACTED]';

// Built-in secret formats. Order matters: specific provider formats before generic ones.
const BUILTIN: readonly RedactionPattern[] = [
  { name: 'private_key', pattern: /-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z ]*PRIVATE KEY-----|$)/g },
  { name: 'anthropic_key', pattern: /sk-ant-[A-Za-z0-9_-]{16,}/g },
  { name: 'openai_key', pattern: /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { name: 'stripe_key', pattern: /(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { name: 'aws_access_key', pattern: /(?:AKIA|ASIA)[A-Z0-9]{16}/g },
  { name: 'github_token', pattern: /(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g },
  { name: 'slack_token', pattern: /xox[abposre]-[A-Za-z0-9-]{10,}/g },
  { name: 'google_api_key', pattern: /AIza[0-9A-Za-z_-]{35}/g },
  { name: 'jwt', pattern: /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g },
  { name: 'bearer_token', pattern: /(\b[Bb]earer\s+)[A-Za-z0-9._~+/=-]{8,}/g },
  { name: 'url_password', pattern: /(\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/?#]*:)[^\s@/?#]+(?=@)/g },
];

// Substrings at least one built-in pattern needs; strings without any skip all regexes.
const PREFILTER = /-----BEGIN|sk-|sk_|rk_|AKIA|ASIA|gh[pousr]_|github_pat_|xox|AIza|eyJ|[Bb]earer|:\/\//;

const CREDENTIAL_WORDS = new Set([
  'password', 'passwd', 'pwd', 'secret', 'client_secret', 'api_key', 'apikey', 'api-key', 'x-api-key',
  'access_token', 'refresh_token', 'id_token', 'private_key', 'authorization', 'proxy-authorization',
  'cookie', 'set-cookie', 'credentials', 'token',
]);

const CACHE_LIMIT = 4096;
const CACHEABLE_LENGTH = 256;
const KEY_QUALIFIERS = new Set(['api', 'secret', 'private', 'access', 'signing', 'encryption']);

/** Compiled redaction rules. Build once (createRedactor) and reuse. */
export interface Redactor {
  readonly enabled: boolean;
  /** Whether the attribute's whole value must be replaced. */
  denies(key: string): boolean;
  /** The string with secrets replaced, or the same string when none was found. */
  redactString(value: string): string;
  /** Deep redaction of an attribute value; returns the same object when nothing changed. */
  redactValue(value: AttributeValue): AttributeValue;
}

// The functions of the redactors built here, each mapped to a token of the redactor it belongs
// to. They are pure functions of their argument (the rules are fixed when the redactor is made),
// so a caller may remember their answers.
const madeBy = new WeakMap<object, object>();

/**
 * Whether denies, redactString and redactValue of `redactor` all come from one createRedactor
 * call: then each answer depends on its argument alone, and denies identifies the rules.
 */
export function isPureRedactor(redactor: Redactor): boolean {
  const token = madeBy.get(redactor.denies);
  return token !== undefined && madeBy.get(redactor.redactString) === token && madeBy.get(redactor.redactValue) === token;
}

export function createRedactor(options: RedactionOptions = {}): Redactor {
  const enabled = options.enabled ?? true;
  const extra = options.patterns ?? [];
  for (const p of extra) {
    if (!(p.pattern instanceof RegExp) || !p.pattern.global) {
      throw new InvalidOptionError(`Redaction pattern "${p.name}" must be a RegExp with the g flag.`);
    }
  }
  const denyExact = new Set<string>();
  const denyRegex: RegExp[] = [];
  for (const d of options.denyAttributes ?? []) {
    if (typeof d === 'string') denyExact.add(d);
    else denyRegex.push(d);
  }
  const denyCredentialNames = options.denyCredentialNames ?? true;

  // Attribute names, and short values when custom patterns run, repeat across spans: remember
  // decisions (bounded).
  const denyCache = new Map<string, boolean>();
  const valueCache = new Map<string, string>();

  function denies(key: string): boolean {
    if (!enabled) return false;
    let hit = denyCache.get(key);
    if (hit === undefined) {
      hit = computeDenies(key);
      if (denyCache.size >= CACHE_LIMIT) denyCache.clear();
      denyCache.set(key, hit);
    }
    return hit;
  }

  function computeDenies(key: string): boolean {
    if (denyExact.has(key)) return true;
    for (const r of denyRegex) if (r.test(key)) return true;
    if (!denyCredentialNames) return false;
    const dot = key.lastIndexOf('.');
    const last = (dot >= 0 ? key.slice(dot + 1) : key).toLowerCase();
    if (CREDENTIAL_WORDS.has(last)) return true;
    // "api.key", "secret.key", "private.key": the word sits in the previous segment
    if (last === 'key' && dot > 0) {
      const prev = key.slice(key.lastIndexOf('.', dot - 1) + 1, dot).toLowerCase();
      return KEY_QUALIFIERS.has(prev);
    }
    return false;
  }

  function applyPattern(s: string, p: RedactionPattern): string {
    p.pattern.lastIndex = 0;
    return s.replace(p.pattern, (_m: string, g1: unknown) =>
      (typeof g1 === 'string' ? g1 : '') + `[REDACTED:${p.name}]`);
  }

  function redactString(value: string): string {
    if (!enabled || value.length < 8) return value;
    // Built-in rules only: the pre-filter is cheaper than a cache lookup, and far cheaper than
    // a cache miss (unique values such as ids would churn it).
    if (extra.length === 0) return PREFILTER.test(value) ? scan(value) : value;
    if (value.length > CACHEABLE_LENGTH) return scan(value);
    let hit = valueCache.get(value);
    if (hit === undefined) {
      hit = scan(value);
      if (valueCache.size >= CACHE_LIMIT) valueCache.clear();
      valueCache.set(value, hit);
    }
    return hit;
  }

  function scan(value: string): string {
    let s = value;
    if (PREFILTER.test(s)) for (const p of BUILTIN) s = applyPattern(s, p);
    for (const p of extra) s = applyPattern(s, p);
    return s;
  }

  function redactValue(value: AttributeValue): AttributeValue {
    if (typeof value === 'string') return redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      let out: AttributeValue[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const r = redactValue(value[i]!);
        if (r !== value[i]) (out ??= value.slice())[i] = r;
      }
      return out ?? value;
    }
    let out: Record<string, AttributeValue> | null = null;
    for (const k in value) {
      const v = value[k]!;
      const r = denies(k) ? REDACTED : redactValue(v);
      if (r !== v) (out ??= { ...value })[k] = r;
    }
    return out ?? value;
  }

  const token = {};
  madeBy.set(denies, token);
  madeBy.set(redactString, token);
  madeBy.set(redactValue, token);
  return { enabled, denies, redactString, redactValue };
}
