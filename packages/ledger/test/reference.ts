// A deliberately naive RFC 6962 reference: recursive MTH, PATH and PROOF over raw leaves.
import { createHash } from 'node:crypto';

const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const k = (n: number): number => { let p = 1; while (p * 2 < n) p *= 2; return p; };

export const refLeaf = (d: Uint8Array): Uint8Array => sha(new Uint8Array([0]), d);
export const refNode = (l: Uint8Array, r: Uint8Array): Uint8Array => sha(new Uint8Array([1]), l, r);

export function refMth(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha();
  if (d.length === 1) return refLeaf(d[0]!);
  const s = k(d.length);
  return refNode(refMth(d.slice(0, s)), refMth(d.slice(s)));
}

export function refPath(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...refPath(m, d.slice(0, s)), refMth(d.slice(s))] : [...refPath(m - s, d.slice(s)), refMth(d.slice(0, s))];
}

function subproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  const n = d.length;
  if (m === n) return b ? [] : [refMth(d)];
  const s = k(n);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), refMth(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), refMth(d.slice(0, s))];
}

export const refConsistency = (m: number, d: readonly Uint8Array[]): Uint8Array[] => (m === d.length ? [] : subproof(m, d, true));

export const leafData = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => new TextEncoder().encode(`leaf-${i}`));
