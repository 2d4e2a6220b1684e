// Secrets out of a decoded OTLP request before it is spooled and forwarded: the same redactor
// the records are made with, over everything a span carries that is text (names, attribute keys
// and values, events, links, status, resource and scope attributes).
import { REDACTED, type Redactor } from '@agentrail/core';
import type { OtlpAnyValue, OtlpKeyValue, OtlpTraceRequest } from '../decode/otlp-model.js';

function anyValue(v: OtlpAnyValue, r: Redactor): void {
  if (typeof v.stringValue === 'string' && v.stringValue !== '') v.stringValue = r.redactString(v.stringValue);
  if (v.arrayValue) for (const x of v.arrayValue.values ?? []) if (x) anyValue(x, r);
  if (v.kvlistValue) attributes(v.kvlistValue.values, r);
}

function deniable(v: OtlpAnyValue | null | undefined): boolean {
  // numbers and booleans are no credentials; an empty value hides nothing
  if (!v) return false;
  if (typeof v.stringValue === 'string') return v.stringValue !== '';
  return v.arrayValue != null || v.kvlistValue != null || v.bytesValue != null;
}

function attributes(list: OtlpKeyValue[] | null | undefined, r: Redactor): void {
  if (!list) return;
  for (const kv of list) {
    if (!kv) continue;
    const key = kv.key ?? '';
    if (r.denies(key) && deniable(kv.value)) kv.value = { stringValue: REDACTED };
    else if (kv.value) anyValue(kv.value, r);
    if (key.length >= 8) kv.key = r.redactString(key);
  }
}

/** Redacts `request` in place (decoded messages are owned by the caller) and returns it. */
export function redactTraceRequest(request: OtlpTraceRequest, r: Redactor): OtlpTraceRequest {
  if (!r.enabled) return request;
  for (const rs of request.resourceSpans ?? []) {
    if (!rs) continue;
    attributes(rs.resource?.attributes, r);
    for (const ss of rs.scopeSpans ?? []) {
      if (!ss) continue;
      if (ss.scope) attributes(ss.scope.attributes, r);
      for (const s of ss.spans ?? []) {
        if (!s) continue;
        if (s.name) s.name = r.redactString(s.name);
        if (s.traceState) s.traceState = r.redactString(s.traceState);
        attributes(s.attributes, r);
        for (const e of s.events ?? []) {
          if (!e) continue;
          if (e.name) e.name = r.redactString(e.name);
          attributes(e.attributes, r);
        }
        for (const l of s.links ?? []) {
          if (!l) continue;
          if (l.traceState) l.traceState = r.redactString(l.traceState);
          attributes(l.attributes, r);
        }
        if (s.status?.message) s.status.message = r.redactString(s.status.message);
      }
    }
  }
  return request;
}
