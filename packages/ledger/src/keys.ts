// Signed-note key strings as Go's golang.org/x/mod/sumdb/note reads and writes them:
//   signer   PRIVATE+KEY+<name>+<keyid hex>+<base64(0x01 ‖ 32-byte Ed25519 seed)>
//   verifier <name>+<keyid hex>+<base64(0x01 ‖ 32-byte public key)>
// key id = first 4 bytes (big-endian) of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key).
import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { KeyError } from './errors.js';

const ALG_ED25519 = 1;
// DER prefixes that wrap a raw 32-byte Ed25519 seed (PKCS#8) or public key (SPKI).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface SignerKey {
  name: string;
  keyId: number;
  privateKey: KeyObject;
  publicKey: Uint8Array;
}

export interface VerifierKey {
  name: string;
  keyId: number;
  publicKey: KeyObject;
}

/** Key names: non-empty, no '+', no whitespace (as in Go's note package). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !name.includes('+') && !/\s/u.test(name) && isWellFormed(name);
}

/** No lone UTF-16 surrogates, i.e. the string encodes to valid UTF-8. */
export function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

export function keyId(name: string, publicKey: Uint8Array): number {
  const h = createHash('sha256').update(name, 'utf8').update(new Uint8Array([0x0a, ALG_ED25519])).update(publicKey).digest();
  return h.readUInt32BE(0);
}

export function keyIdHex(id: number): string {
  return id.toString(16).padStart(8, '0');
}

function decodeB64Strict(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return undefined;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? b : undefined;
}

function parseKeyId(hex: string): number | undefined {
  return /^[0-9a-f]{8}$/i.test(hex) ? parseInt(hex, 16) : undefined;
}

function publicFromSeed(seed: Uint8Array): { privateKey: KeyObject; publicKey: Uint8Array } {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey: new Uint8Array(spki.subarray(spki.length - 32)) };
}

export function parseSignerKey(skey: string): SignerKey {
  const bad = (why: string): KeyError => new KeyError('ERR_KEY_INVALID', `Signer key is malformed: ${why}.`);
  if (typeof skey !== 'string') throw bad('not a string');
  const parts = skey.split('+');
  if (parts.length < 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw bad('expected PRIVATE+KEY+<name>+<keyid>+<key>');
  const name = parts[2]!;
  const id = parseKeyId(parts[3]!);
  const raw = decodeB64Strict(parts.slice(4).join('+'));
  if (!isValidKeyName(name)) throw bad('invalid key name');
  if (id === undefined) throw bad('key id must be 8 hex digits');
  if (!raw || raw.length !== 33 || raw[0] !== ALG_ED25519) throw bad('key must be base64 of 0x01 followed by a 32-byte Ed25519 seed');
  const { privateKey, publicKey } = publicFromSeed(raw.subarray(1));
  if (keyId(name, publicKey) !== id) throw bad('key id does not match the key');
  return { name, keyId: id, privateKey, publicKey };
}

export function parseVerifierKey(vkey: string): VerifierKey {
  const bad = (why: string): KeyError => new KeyError('ERR_KEY_INVALID', `Verifier key is malformed: ${why}.`);
  if (typeof vkey !== 'string') throw bad('not a string');
  const parts = vkey.split('+');
  if (parts.length < 3) throw bad('expected <name>+<keyid>+<key>');
  const name = parts[0]!;
  const id = parseKeyId(parts[1]!);
  const raw = decodeB64Strict(parts.slice(2).join('+'));
  if (!isValidKeyName(name) || name === 'PRIVATE') throw bad('invalid key name');
  if (id === undefined) throw bad('key id must be 8 hex digits');
  if (!raw || raw.length !== 33 || raw[0] !== ALG_ED25519) throw bad('key must be base64 of 0x01 followed by a 32-byte Ed25519 public key');
  const pub = raw.subarray(1);
  if (keyId(name, pub) !== id) throw bad('key id does not match the key');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new KeyError('ERR_KEY_INVALID', 'Verifier key is malformed: not a valid Ed25519 public key.', { cause });
  }
  return { name, keyId: id, publicKey };
}

function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  const raw = Buffer.concat([Buffer.from([ALG_ED25519]), publicKey]);
  return `${name}+${keyIdHex(keyId(name, publicKey))}+${raw.toString('base64')}`;
}

/** The verifier key string matching a signer key string. */
export function verifierKeyFor(signerKey: string): string {
  const s = parseSignerKey(signerKey);
  return formatVerifierKey(s.name, s.publicKey);
}

/** A fresh Ed25519 key pair as Go sumdb/note key strings. */
export function generateKey(name: string): { signerKey: string; verifierKey: string } {
  if (!isValidKeyName(name)) {
    throw new KeyError('ERR_KEY_INVALID', `Key name ${JSON.stringify(name)} is invalid: it must be non-empty with no '+' or whitespace.`);
  }
  const seed = randomBytes(32);
  const { publicKey } = publicFromSeed(seed);
  const raw = Buffer.concat([Buffer.from([ALG_ED25519]), seed]);
  const signerKey = `PRIVATE+KEY+${name}+${keyIdHex(keyId(name, publicKey))}+${raw.toString('base64')}`;
  return { signerKey, verifierKey: formatVerifierKey(name, publicKey) };
}
