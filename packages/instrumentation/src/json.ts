// JSON text for tool arguments and results as they go on span attributes. Never throws: an audit
// helper must not break the tool it observes. Values JSON cannot hold get a stable stand-in.

/** JSON text of `value`, or `undefined` when there is nothing to record (undefined, functions). */
export function toJsonText(value: unknown): string | undefined {
  const seen = new WeakSet<object>();
  try {
    return JSON.stringify(value, function replacer(this: unknown, _key: string, v: unknown): unknown {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'symbol') return v.toString();
      if (v instanceof Error) return { name: v.name, message: v.message };
      if (v instanceof Map) return Object.fromEntries(v);
      if (v instanceof Set) return [...v];
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      if (v !== null && typeof v === 'object') {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
  } catch (err) {
    // A throwing toJSON or getter: record that the value could not be serialized.
    return JSON.stringify({ unserializable: err instanceof Error ? err.message : String(err) });
  }
}
