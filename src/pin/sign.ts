// Ed25519 signatures over a file's exact bytes (node:crypto, no native deps).
//
// FILE.sig is a small JSON document:
//   { "version": 1, "algorithm": "ed25519", "keyId": "<16 hex>", "signature": "<base64>", "signedAt": "<ISO time>" }
// Only the signature is cryptographically meaningful. keyId names the key that signed (the first
// 16 hex digits of SHA-256 over the raw 32-byte public key) so a verifier holding several trusted
// keys picks the right one and can say "wrong key" rather than "bad signature"; signedAt is
// informational and unauthenticated.

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PortcullisError } from '../core/errors.js';

export const PRIVATE_KEY_NAME = 'portcullis.key';
export const PUBLIC_KEY_NAME = 'portcullis.pub';
export const SIGNATURE_VERSION = 1;
const MAX_KEY_BYTES = 16 * 1024;
const MAX_SIGNATURE_BYTES = 16 * 1024;

export interface SignatureFile {
  version: typeof SIGNATURE_VERSION;
  algorithm: 'ed25519';
  keyId: string;
  signature: string;
  signedAt: string;
}

export type SignatureStatus = 'valid' | 'missing' | 'malformed' | 'wrong-key' | 'bad-signature';

export interface SignatureCheck {
  status: SignatureStatus;
  /** The signature file checked (FILE.sig). */
  signatureFile: string;
  /** The key id the signature names, when it could be read. */
  keyId?: string;
  /** Key ids of the trusted public keys. */
  trustedKeyIds: string[];
  /** One sentence for people. */
  message: string;
}

/** First 16 hex digits of SHA-256 over the raw 32-byte Ed25519 public key. */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(jwk.x ?? '', 'base64url');
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

export interface GeneratedKeys {
  privateKeyFile: string;
  publicKeyFile: string;
  keyId: string;
}

/** Writes portcullis.key (PKCS#8 PEM, mode 0600) and portcullis.pub (SPKI PEM) into `dir`. */
export function generateKeys(dir: string, options: { force?: boolean } = {}): GeneratedKeys {
  const privateKeyFile = join(dir, PRIVATE_KEY_NAME);
  const publicKeyFile = join(dir, PUBLIC_KEY_NAME);
  for (const file of [privateKeyFile, publicKeyFile]) {
    if (existsSync(file) && !options.force) {
      throw new PortcullisError(
        'USAGE',
        'refusing to overwrite an existing key (use --force to replace it)',
        {
          file,
        },
      );
    }
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
  // Remove first so the new file is created with mode 0600 rather than keeping an old file's mode.
  for (const file of [privateKeyFile, publicKeyFile]) if (options.force && existsSync(file)) unlinkSync(file);
  try {
    writeFileSync(privateKeyFile, privatePem, { mode: 0o600, flag: 'wx' });
    writeFileSync(publicKeyFile, publicPem, { mode: 0o644, flag: 'wx' });
  } catch (err) {
    throw new PortcullisError('INPUT_INVALID', `cannot write the key files: ${(err as Error).message}`, {
      file: dir,
    });
  }
  return { privateKeyFile, publicKeyFile, keyId: keyIdOf(publicKey) };
}

function readKeyText(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new PortcullisError('KEY_INVALID', 'not a regular file', { file });
    size = st.size;
  } catch (err) {
    if (err instanceof PortcullisError) throw err;
    throw new PortcullisError('INPUT_NOT_FOUND', 'key file not found (create one with `portcullis keygen`)', {
      file,
    });
  }
  if (size > MAX_KEY_BYTES)
    throw new PortcullisError('KEY_INVALID', 'key file is too large to be a key', { file });
  return readFileSync(file, 'utf8');
}

/**
 * Loads an Ed25519 private key, refusing one that group or others can read: a signing key anyone
 * on the machine can copy proves nothing about who signed.
 */
export function loadPrivateKey(file: string): KeyObject {
  const text = readKeyText(file);
  if (process.platform !== 'win32') {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) {
      throw new PortcullisError(
        'KEY_INVALID',
        `private key is readable by group or others (mode ${mode.toString(8).padStart(4, '0')}); fix it with: chmod 600 ${file}`,
        { file },
      );
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch (err) {
    const why = /passphrase/i.test((err as Error).message) ? ' (encrypted keys are not supported)' : '';
    throw new PortcullisError('KEY_INVALID', `not a PEM private key${why}`, { file });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new PortcullisError('KEY_INVALID', `expected an Ed25519 key, found ${key.asymmetricKeyType}`, {
      file,
    });
  }
  return key;
}

export function loadPublicKey(file: string): KeyObject {
  const text = readKeyText(file);
  if (/-----BEGIN (?:ENCRYPTED )?PRIVATE KEY-----/.test(text)) {
    throw new PortcullisError('KEY_INVALID', 'this is a private key; pass the public key (.pub) to verify', {
      file,
    });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    throw new PortcullisError('KEY_INVALID', 'not a PEM public key', { file });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new PortcullisError('KEY_INVALID', `expected an Ed25519 key, found ${key.asymmetricKeyType}`, {
      file,
    });
  }
  return key;
}

export function signatureFileFor(file: string): string {
  return `${file}.sig`;
}

/** Signs exact bytes and returns the .sig document text (with trailing newline). */
export function signBytes(data: Uint8Array, privateKey: KeyObject, now: Date = new Date()): string {
  const doc: SignatureFile = {
    version: SIGNATURE_VERSION,
    algorithm: 'ed25519',
    keyId: keyIdOf(privateKey),
    signature: sign(null, data, privateKey).toString('base64'),
    signedAt: now.toISOString(),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Signs FILE with the key at `keyFile`, writing FILE.sig. */
export function signFile(file: string, keyFile: string): { signatureFile: string; keyId: string } {
  const key = loadPrivateKey(keyFile);
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    throw new PortcullisError('INPUT_NOT_FOUND', 'file to sign not found', { file });
  }
  const signatureFile = signatureFileFor(file);
  try {
    writeFileSync(signatureFile, signBytes(data, key));
  } catch (err) {
    throw new PortcullisError('INPUT_INVALID', `cannot write the signature: ${(err as Error).message}`, {
      file: signatureFile,
    });
  }
  return { signatureFile, keyId: keyIdOf(key) };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const SignatureSchema = z.strictObject({
  version: z.literal(SIGNATURE_VERSION),
  algorithm: z.literal('ed25519'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.string().regex(BASE64),
  signedAt: z.string(),
});

/** Parses .sig text; returns an explanation instead of throwing when it is malformed. */
export function parseSignature(text: string): SignatureFile | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  const result = SignatureSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return { error: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  if (Buffer.from(result.data.signature, 'base64').length !== 64) {
    return { error: 'signature: an Ed25519 signature is 64 bytes' };
  }
  return result.data;
}

/**
 * Checks `data` against the signature text with any of the trusted public keys. `sigText` is
 * undefined when the .sig file does not exist. Never throws on signature content.
 */
export function verifyBytes(
  data: Uint8Array,
  sigText: string | undefined,
  trusted: KeyObject[],
  signatureFile: string,
): SignatureCheck {
  const trustedKeyIds = trusted.map(keyIdOf);
  const base = { signatureFile, trustedKeyIds };
  if (sigText === undefined) {
    return { ...base, status: 'missing', message: `no signature: ${signatureFile} does not exist` };
  }
  const sig = parseSignature(sigText);
  if ('error' in sig) {
    return { ...base, status: 'malformed', message: `malformed signature file: ${sig.error}` };
  }
  const index = trustedKeyIds.indexOf(sig.keyId);
  if (index < 0) {
    return {
      ...base,
      keyId: sig.keyId,
      status: 'wrong-key',
      message: `signed by key ${sig.keyId}, which is not a trusted key (trusted: ${trustedKeyIds.join(', ')})`,
    };
  }
  const ok = verify(null, data, trusted[index]!, Buffer.from(sig.signature, 'base64'));
  if (!ok) {
    return {
      ...base,
      keyId: sig.keyId,
      status: 'bad-signature',
      message: `bad signature: the file was changed after key ${sig.keyId} signed it, or the signature was forged`,
    };
  }
  return { ...base, keyId: sig.keyId, status: 'valid', message: `signed by key ${sig.keyId}` };
}

/** Reads FILE.sig (size-capped) and checks it against `data`, the exact bytes of FILE. */
export function verifyFileBytes(file: string, data: Uint8Array, trusted: KeyObject[]): SignatureCheck {
  const signatureFile = signatureFileFor(file);
  let sigText: string | undefined;
  if (existsSync(signatureFile)) {
    const st = statSync(signatureFile);
    if (!st.isFile() || st.size > MAX_SIGNATURE_BYTES) {
      return {
        status: 'malformed',
        signatureFile,
        trustedKeyIds: trusted.map(keyIdOf),
        message: 'malformed signature file: not a small regular file',
      };
    }
    sigText = readFileSync(signatureFile, 'utf8');
  }
  return verifyBytes(data, sigText, trusted, signatureFile);
}
