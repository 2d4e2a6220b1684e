import { ExporterConfigError } from './errors.js';

/** `value` if it is a positive safe integer, `fallback` if undefined; otherwise a config error. */
export function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new ExporterConfigError(`${name} must be a positive integer, got ${value}`);
  return value;
}
