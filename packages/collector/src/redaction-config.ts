// The collector config's redaction section as core's RedactionOptions. Kept apart from config.ts
// so consume workers compile it without loading the schema library.
import type { RedactionOptions } from '@agentrail/core';
import type { CollectorConfig } from './config.js';

/** The redaction section as core's RedactionOptions (regular expressions compiled). */
export function redactionOptions(r: CollectorConfig['redaction']): RedactionOptions {
  return {
    enabled: r.enabled,
    patterns: r.patterns.map((p) => ({ name: p.id, pattern: new RegExp(p.regex, p.flags + 'g') })),
    allow: [...r.allow, ...r.allowPatterns.map((a) => new RegExp(a))],
    disableRules: r.disableRules,
    denyAttributes: r.denyAttributes,
    allowAttributes: r.allowAttributes,
  };
}
