import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompactRange, ProofError, assembleProof, consistencyPlan, emptyRoot, inclusionPlan, leafHash, nodeHash,
  rootHash, verifyConsistency, verifyInclusion, type NodeId,
} from '@agentrail/ledger';
import { leafData, refConsistency, refLeaf, refMth, refPath } from './reference.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const h = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/** All complete subtree hashes of a tree, as a file store would hold them. */
function storedLevels(data: readonly Uint8Array[]): Uint8Array[][] {
  const levels: Uint8Array[][] = [data.map((d) => leafHash(d))];
  const range = new CompactRange();
  for (const leaf of levels[0]!) {
    range.append(leaf, (level, index, hash) => {
      (levels[level] ??= [])[index] = hash;
    });
  }
  return levels;
}
const getter = (levels: Uint8Array[][]) => (id: NodeId): Uint8Array => {
  const v = levels[id.level]?.[id.index];
  if (!v) throw new Error(`node ${id.level}/${id.index} not stored`);
  return v;
};

// RFC 6962 test leaves and roots, as used by transparency-dev/merkle and certificate-transparency.
const RFC_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);
const RFC_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

test('roots match the RFC 6962 test vectors and the empty tree is SHA-256 of nothing', () => {
  assert.equal(hex(emptyRoot()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(hex(rootHash([])), hex(emptyRoot()));
  for (let n = 1; n <= RFC_LEAVES.length; n++) {
    const leaves = RFC_LEAVES.slice(0, n);
    assert.equal(hex(rootHash(leaves.map((d) => leafHash(d)))), RFC_ROOTS[n - 1], `root of size ${n}`);
    assert.equal(hex(refMth(leaves)), RFC_ROOTS[n - 1], `reference root of size ${n}`);
  }
});

test('published consistency vector 2 -> 5 verifies', () => {
  const proof = [
    h('5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e'),
    h('bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'),
  ];
  verifyConsistency(2, 5, proof, h(RFC_ROOTS[1]!), h(RFC_ROOTS[4]!));
  const levels = storedLevels(RFC_LEAVES.slice(0, 5));
  assert.deepEqual(assembleProof(consistencyPlan(2, 5), getter(levels)).map(hex), proof.map(hex));
});

test('leaf and node hashing use the RFC 6962 domain prefixes', () => {
  const a = new Uint8Array([1, 2, 3]);
  assert.equal(hex(leafHash(a)), hex(refLeaf(a)));
  const l = leafHash(a);
  const r = leafHash(new Uint8Array([4]));
  assert.equal(hex(nodeHash(l, r)), hex(refMth([a, new Uint8Array([4])])));
});

function checkSize(n: number, data: Uint8Array[]): void {
  const d = data.slice(0, n);
  const levels = storedLevels(d);
  const root = refMth(d);
  assert.equal(hex(rootHash(levels[0]!)), hex(root), `root ${n}`);
  for (let m = 0; m < n; m++) {
    const proof = assembleProof(inclusionPlan(m, n), getter(levels));
    assert.deepEqual(proof.map(hex), refPath(m, d).map(hex), `inclusion ${m}/${n}`);
    verifyInclusion(levels[0]![m]!, m, n, proof, root);
  }
  for (let m = 1; m <= n; m++) {
    const proof = assembleProof(consistencyPlan(m, n), getter(levels));
    assert.deepEqual(proof.map(hex), refConsistency(m, d).map(hex), `consistency ${m}->${n}`);
    verifyConsistency(m, n, proof, refMth(d.slice(0, m)), root);
  }
}

test('proofs from stored hashes equal the naive reference for every size up to 70', () => {
  const data = leafData(70);
  for (let n = 1; n <= 70; n++) checkSize(n, data);
});

test('proofs equal the reference for random larger sizes', () => {
  const data = leafData(1100);
  let seed = 42;
  const rand = (max: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % max);
  for (let t = 0; t < 6; t++) {
    const n = 500 + rand(600);
    const d = data.slice(0, n);
    const levels = storedLevels(d);
    const root = refMth(d);
    for (let q = 0; q < 8; q++) {
      const m = rand(n);
      const proof = assembleProof(inclusionPlan(m, n), getter(levels));
      assert.deepEqual(proof.map(hex), refPath(m, d).map(hex));
      verifyInclusion(levels[0]![m]!, BigInt(m), BigInt(n), proof, root);
      const m1 = 1 + rand(n);
      const cproof = assembleProof(consistencyPlan(m1, n), getter(levels));
      assert.deepEqual(cproof.map(hex), refConsistency(m1, d).map(hex));
      verifyConsistency(m1, n, cproof, refMth(d.slice(0, m1)), root);
    }
  }
});

test('compact range restored from stored hashes continues the same tree', () => {
  const data = leafData(45);
  const levels = storedLevels(data);
  for (const size of [1, 7, 16, 31]) {
    const ids: Uint8Array[] = [];
    let pos = 0;
    for (let level = 10; level >= 0; level--) {
      if (size - pos >= 2 ** level) {
        ids.push(levels[level]![pos / 2 ** level]!);
        pos += 2 ** level;
      }
    }
    const r = CompactRange.fromHashes(size, ids);
    for (let i = size; i < 45; i++) r.append(levels[0]![i]!);
    assert.equal(hex(r.root()), hex(refMth(data)));
  }
});

const code = (c: string) => (e: unknown): boolean => e instanceof ProofError && e.code === c;

test('inclusion verification is strict and carries the evidence', () => {
  const data = leafData(11);
  const levels = storedLevels(data);
  const root = refMth(data);
  const leaf = levels[0]![5]!;
  const proof = assembleProof(inclusionPlan(5, 11), getter(levels));
  verifyInclusion(leaf, 5, 11, proof, root);
  assert.throws(() => verifyInclusion(leaf, 5, 11, proof.slice(0, -1), root), code('ERR_PROOF_MALFORMED'));
  assert.throws(() => verifyInclusion(leaf, 5, 11, [...proof, proof[0]!], root), code('ERR_PROOF_MALFORMED'));
  assert.throws(() => verifyInclusion(leaf, 11, 11, proof, root), code('ERR_PROOF_MALFORMED'));
  assert.throws(() => verifyInclusion(leaf, 5, 11, [proof[0]!.subarray(1), ...proof.slice(1)], root), code('ERR_PROOF_MALFORMED'));
  assert.throws(() => verifyInclusion(leaf.subarray(0, 31), 5, 11, proof, root), code('ERR_PROOF_MALFORMED'));
  assert.throws(() => verifyInclusion(leaf, 4, 11, proof, root), code('ERR_PROOF_ROOT_MISMATCH'));
  for (let i = 0; i < proof.length; i++) {
    const bad = proof.map((p) => new Uint8Array(p));
    bad[i]![0]! ^= 1;
    assert.throws(() => verifyInclusion(leaf, 5, 11, bad, root), (e: unknown) => {
      assert.ok(e instanceof ProofError && e.code === 'ERR_PROOF_ROOT_MISMATCH');
      assert.equal(e.expected, hex(root));
      assert.notEqual(e.computed, hex(root));
      return true;
    });
  }
});

test('consistency verification is strict', () => {
  const data = leafData(13);
  const levels = storedLevels(data);
  const r5 = refMth(data.slice(0, 5));
  const r13 = refMth(data);
  const proof = assembleProof(consistencyPlan(5, 13), getter(levels));
  verifyConsistency(5, 13, proof, r5, r13);
  assert.throws(() => verifyConsistency(0, 13, [], emptyRoot(), r13), code('ERR_PROOF_MALFORMED'));
  assert.throws(() => verifyConsistency(13, 5, proof, r13, r5), code('ERR_PROOF_MALFORMED'));
  assert.throws(() => verifyConsistency(13, 13, [r13], r13, r13), code('ERR_PROOF_MALFORMED'));
  verifyConsistency(13, 13, [], r13, r13);
  assert.throws(() => verifyConsistency(13, 13, [], r13, r5), code('ERR_PROOF_ROOT_MISMATCH'));
  assert.throws(() => verifyConsistency(5, 13, [], r5, r13), code('ERR_PROOF_MALFORMED'));
  assert.throws(() => verifyConsistency(5, 13, proof.slice(1), r5, r13));
  assert.throws(() => verifyConsistency(5, 13, [...proof, r5], r5, r13), code('ERR_PROOF_MALFORMED'));
  assert.throws(() => verifyConsistency(5, 13, proof, r13, r13), code('ERR_PROOF_ROOT_MISMATCH'));
  assert.throws(() => verifyConsistency(5, 13, proof, r5, r5), code('ERR_PROOF_ROOT_MISMATCH'));
  for (let i = 0; i < proof.length; i++) {
    const bad = proof.map((p) => new Uint8Array(p));
    bad[i]![3]! ^= 0x80;
    assert.throws(() => verifyConsistency(5, 13, bad, r5, r13), code('ERR_PROOF_ROOT_MISMATCH'));
  }
});
