// Secret redaction for everything a record or a forwarded span carries: attribute values and
// keys, span names, payload text. The built-in formats are data (redaction-rules.ts); a cheap
// pre-filter built from their hints decides whether a string can hold any of them.
import type { AttributeValue } from '@agentrail/semconv';
import { InvalidOptionError } from './errors.js';
import { BUILTIN_SECRET_RULES, type SecretRule } from './redaction-rules.js';

export interface RedactionPattern {
  /** Rule id shown in the replacement and counted in the record, e.g. "acme_token". */
  name: string;
  /** Must be global (`g`). Group 1, when present, is kept (e.g. a URL's user part). */
  pattern: RegExp;
}

export interface RedactionOptions {
  /** Default true. */
  enabled?: boolean;
  /** Extra patterns, run on every string after the built-in ones. */
  patterns?: readonly RedactionPattern[];
  /** Matches that are kept although a rule found them: exact text or regular expressions. */
  allow?: readonly (string | RegExp)[];
  /** Ids of built-in rules to turn off (BUILTIN_SECRET_RULES lists them). */
  disableRules?: readonly string[];
  /** Attribute names whose whole value is replaced: exact names or regular expressions. */
  denyAttributes?: readonly (string | RegExp)[];
  /** Attribute names never replaced for their name alone (their values are still scanned). */
  allowAttributes?: readonly (string | RegExp)[];
  /** Default true: also deny attributes whose last name segment is a credential word (password, api_key, authorization, cookie, ...). */
  denyCredentialNames?: boolean;
}

/** Removals by rule id; redaction adds to it. */
export type RedactionCounts = Record<string, number>;

export const REDACTED = '[REDACTED]';
/** Rule id counted when an attribute's value is replaced for its credential-like name. */
export const RULE_CREDENTIAL_NAME = 'credential_name';
/** Rule id counted when an attribute's value is replaced because denyAttributes names it. */
export const RULE_DENIED_ATTRIBUTE = 'denied_attribute';

// Whole-segment words, and words that end a segment split on '_' / '-' ("x-api-key", "db_password").
const CREDENTIAL_WORDS = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'authorization', 'cookie',
  'credential', 'credentials', 'privatekey', 'accesskey', 'secretkey', 'signingkey', 'authtoken', 'sessiontoken',
]);
const KEY_QUALIFIERS = new Set(['api', 'secret', 'private', 'access', 'signing', 'encryption', 'auth']);

const CACHE_LIMIT = 4096;
const CACHEABLE_LENGTH = 256;

/** Compiled redaction rules. Build once (createRedactor) and reuse. */
export interface Redactor {
  readonly enabled: boolean;
  /** Whether the attribute's whole value must be replaced for its name. */
  denies(key: string): boolean;
  /** Rule id counted for a denied name: credential_name or denied_attribute. */
  denyRule?(key: string): string;
  /** The string with secrets replaced, or the same string when none was found; adds to `counts`. */
  redactString(value: string, counts?: RedactionCounts): string;
  /** Deep redaction of an attribute value (map keys too); returns the same object when nothing changed. */
  redactValue(value: AttributeValue, counts?: RedactionCounts): AttributeValue;
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

interface CompiledRule {
  id: string;
  pattern: RegExp;
  hint: RegExp | null;
  validate: ((secret: string) => boolean) | null;
}

function nameMatcher(list: readonly (string | RegExp)[] | undefined): (key: string) => boolean {
  const exact = new Set<string>();
  const regex: RegExp[] = [];
  for (const d of list ?? []) {
    if (typeof d === 'string') exact.add(d);
    else if (d instanceof RegExp) regex.push(new RegExp(d.source, d.flags.replace(/[gy]/g, '')));
    else throw new InvalidOptionError('Attribute names in redaction options must be strings or RegExps.');
  }
  return (key) => exact.has(key) || regex.some((r) => r.test(key));
}

function isCredentialName(key: string): boolean {
  const dot = key.lastIndexOf('.');
  const last = (dot >= 0 ? key.slice(dot + 1) : key).toLowerCase();
  if (CREDENTIAL_WORDS.has(last.replace(/[_-]/g, ''))) return true;
  // "x-api-key", "db_password", "aws_secret_access_key", "x-auth-token"; not "input_tokens"
  const parts = last.split(/[_-]/);
  if (parts.length > 1) {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (p === 'password' || p === 'passwd' || p === 'pwd' || p === 'secret' || p === 'token' || p === 'credentials' || p === 'cookie' || p === 'authorization') return true;
      if (p === 'key' && i > 0 && KEY_QUALIFIERS.has(parts[i - 1]!)) return true;
    }
  }
  // "api.key", "secret.key", "private.key": the word sits in the previous segment
  if (last === 'key' && dot > 0) {
    const prev = key.slice(key.lastIndexOf('.', dot - 1) + 1, dot).toLowerCase();
    return KEY_QUALIFIERS.has(prev);
  }
  return false;
}

export function createRedactor(options: RedactionOptions = {}): Redactor {
  const enabled = options.enabled ?? true;
  const disabled = new Set(options.disableRules ?? []);
  const known = new Set(BUILTIN_SECRET_RULES.map((r) => r.id));
  for (const id of disabled) {
    if (!known.has(id)) throw new InvalidOptionError(`Unknown built-in redaction rule "${id}" in disableRules; known: ${[...known].join(', ')}.`);
  }
  const builtin = BUILTIN_SECRET_RULES.filter((r) => !disabled.has(r.id)).map(compileBuiltin);
  const extra: CompiledRule[] = [];
  for (const p of options.patterns ?? []) {
    if (typeof p?.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(p.name)) {
      throw new InvalidOptionError(`Redaction pattern names must be 1-64 letters, digits, '_', '.' or '-', not ${JSON.stringify(p?.name)}.`);
    }
    if (!(p.pattern instanceof RegExp) || !p.pattern.global) {
      throw new InvalidOptionError(`Redaction pattern "${p.name}" must be a RegExp with the g flag.`);
    }
    extra.push({ id: p.name, pattern: p.pattern, hint: null, validate: null });
  }
  const prefilter = builtin.length === 0 ? null : new RegExp(BUILTIN_SECRET_RULES.filter((r) => !disabled.has(r.id)).map((r) => r.hint).join('|'));
  const allowExact = new Set<string>();
  const allowRegex: RegExp[] = [];
  for (const a of options.allow ?? []) {
    if (typeof a === 'string') allowExact.add(a);
    else if (a instanceof RegExp) allowRegex.push(new RegExp(a.source, a.flags.replace(/[gy]/g, '')));
    else throw new InvalidOptionError('redaction.allow entries must be strings or RegExps.');
  }
  const allowed = allowExact.size === 0 && allowRegex.length === 0 ? null : (s: string): boolean => allowExact.has(s) || allowRegex.some((r) => r.test(s));
  const denyListed = nameMatcher(options.denyAttributes);
  const allowListed = nameMatcher(options.allowAttributes);
  const denyCredentialNames = options.denyCredentialNames ?? true;

  // Attribute names, and short values when custom patterns run, repeat across spans: remember
  // decisions (bounded).
  const denyCache = new Map<string, string | null>();
  const valueCache = new Map<string, string>();

  function denyRule(key: string): string | null {
    let hit = denyCache.get(key);
    if (hit === undefined) {
      hit = denyListed(key) ? RULE_DENIED_ATTRIBUTE : denyCredentialNames && !allowListed(key) && isCredentialName(key) ? RULE_CREDENTIAL_NAME : null;
      if (denyCache.size >= CACHE_LIMIT) denyCache.clear();
      denyCache.set(key, hit);
    }
    return hit;
  }

  function denies(key: string): boolean {
    return enabled && denyRule(key) !== null;
  }

  function applyRule(s: string, r: CompiledRule, counts: RedactionCounts | undefined): string {
    r.pattern.lastIndex = 0;
    return s.replace(r.pattern, (m: string, g1: unknown) => {
      const keep = typeof g1 === 'string' ? g1 : '';
      const secret = m.slice(keep.length);
      if (r.validate !== null && !r.validate(secret)) return m;
      if (allowed !== null && allowed(secret)) return m;
      if (counts !== undefined) counts[r.id] = (counts[r.id] ?? 0) + 1;
      return keep + `[REDACTED:${r.id}]`;
    });
  }

  function scan(value: string, counts: RedactionCounts | undefined): string {
    let s = value;
    if (prefilter !== null && prefilter.test(s)) {
      for (const r of builtin) if (r.hint!.test(s)) s = applyRule(s, r, counts);
    }
    for (const r of extra) s = applyRule(s, r, counts);
    return s;
  }

  function redactString(value: string, counts?: RedactionCounts): string {
    if (!enabled || value.length < 8) return value;
    // Built-in rules only: the pre-filter is cheaper than a cache lookup, and far cheaper than
    // a cache miss (unique values such as ids would churn it).
    if (extra.length === 0) return prefilter !== null && prefilter.test(value) ? scan(value, counts) : value;
    if (value.length > CACHEABLE_LENGTH) return scan(value, counts);
    let hit = valueCache.get(value);
    if (hit === undefined) {
      hit = scan(value, undefined);
      if (valueCache.size >= CACHE_LIMIT) valueCache.clear();
      valueCache.set(value, hit);
    }
    // the cache keeps the text; a value that changed is scanned again to count its removals
    return hit !== value && counts !== undefined ? scan(value, counts) : hit;
  }

  function redactValue(value: AttributeValue, counts?: RedactionCounts): AttributeValue {
    if (typeof value === 'string') return redactString(value, counts);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      let out: AttributeValue[] | null = null;
      for (let i = 0; i < value.length; i++) {
        const r = redactValue(value[i]!, counts);
        if (r !== value[i]) (out ??= value.slice())[i] = r;
      }
      return out ?? value;
    }
    let changed = false;
    const out: Record<string, AttributeValue> = {};
    for (const k in value) {
      const v = value[k]!;
      const key = uniqueKey(out, redactString(k, counts));
      let r: AttributeValue;
      const rule = enabled && typeof v !== 'number' && typeof v !== 'boolean' ? denyRule(k) : null;
      if (rule !== null) {
        r = REDACTED;
        if (counts !== undefined) counts[rule] = (counts[rule] ?? 0) + 1;
      } else r = redactValue(v, counts);
      if (r !== v || key !== k) changed = true;
      if (key === '__proto__') Object.defineProperty(out, key, { value: r, enumerable: true, writable: true, configurable: true });
      else out[key] = r;
    }
    return changed ? out : value;
  }

  const token = {};
  madeBy.set(denies, token);
  madeBy.set(redactString, token);
  madeBy.set(redactValue, token);
  return { enabled, denies, denyRule: (key) => denyRule(key) ?? RULE_CREDENTIAL_NAME, redactString, redactValue };
}

/** `key`, or `key#2`, `key#3`... when an earlier key of `obj` already took it (two keys redacted alike). */
export function uniqueKey(obj: object, key: string): string {
  if (!Object.prototype.hasOwnProperty.call(obj, key)) return key;
  for (let i = 2; ; i++) {
    const k = `${key}#${i}`;
    if (!Object.prototype.hasOwnProperty.call(obj, k)) return k;
  }
}

function compileBuiltin(r: SecretRule): CompiledRule {
  if (!r.pattern.global) throw new InvalidOptionError(`Built-in redaction rule "${r.id}" must be global.`);
  return { id: r.id, pattern: r.pattern, hint: new RegExp(r.hint), validate: r.validate ?? null };
}
