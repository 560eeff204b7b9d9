import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import {
  generateKeys,
  keyIdOf,
  loadPrivateKey,
  loadPublicKey,
  parseSignature,
  signFile,
  verifyFileBytes,
} from '../../src/pin/index.js';

const posix = process.platform !== 'win32';
let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-sign-'));
  file = join(dir, 'portcullis.lock');
  writeFileSync(file, '{"lockfileVersion":1,"servers":{}}\n');
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PortcullisError);
    return (err as PortcullisError).code;
  }
  throw new Error('expected an error');
}

describe('keygen', () => {
  it('writes a 0600 PKCS#8 private key and an SPKI public key with a 16-hex key id', () => {
    const keys = generateKeys(dir);
    const priv = readFileSync(keys.privateKeyFile, 'utf8');
    const pub = readFileSync(keys.publicKeyFile, 'utf8');
    expect(priv).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pub).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    if (posix) expect(statSync(keys.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(keys.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(loadPublicKey(keys.publicKeyFile))).toBe(keys.keyId);
    expect(keyIdOf(loadPrivateKey(keys.privateKeyFile))).toBe(keys.keyId);
  });

  it('derives the key id from the raw 32-byte public key', async () => {
    const { createHash } = await import('node:crypto');
    const keys = generateKeys(dir);
    const der = createPublicKey(readFileSync(keys.publicKeyFile, 'utf8')).export({
      format: 'der',
      type: 'spki',
    });
    const raw = der.subarray(der.length - 32);
    expect(keys.keyId).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
  });

  it('reports a missing output directory as an input error', () => {
    expect(codeOf(() => generateKeys(join(dir, 'no', 'such', 'dir')))).toBe('INPUT_INVALID');
  });

  it('refuses to overwrite keys without force, and with force writes a fresh 0600 key', () => {
    const first = generateKeys(dir);
    expect(codeOf(() => generateKeys(dir))).toBe('USAGE');
    if (posix) chmodSync(first.privateKeyFile, 0o644);
    const second = generateKeys(dir, { force: true });
    expect(second.keyId).not.toBe(first.keyId);
    if (posix) expect(statSync(second.privateKeyFile).mode & 0o777).toBe(0o600);
  });
});

describe('sign and verify', () => {
  it('signs the exact bytes and verifies them', () => {
    const keys = generateKeys(dir);
    const { signatureFile, keyId } = signFile(file, keys.privateKeyFile);
    const sig = JSON.parse(readFileSync(signatureFile, 'utf8'));
    expect(sig).toMatchObject({ version: 1, algorithm: 'ed25519', keyId });
    expect(Buffer.from(sig.signature, 'base64')).toHaveLength(64);
    expect(Number.isNaN(Date.parse(sig.signedAt))).toBe(false);
    const check = verifyFileBytes(file, readFileSync(file), [loadPublicKey(keys.publicKeyFile)]);
    expect(check.status).toBe('valid');
    expect(check.keyId).toBe(keyId);
  });

  it('says bad-signature when the file was tampered with, even by one byte', () => {
    const keys = generateKeys(dir);
    signFile(file, keys.privateKeyFile);
    const tampered = Buffer.from(readFileSync(file));
    tampered[tampered.length - 1] = 0x20; // newline -> space
    const check = verifyFileBytes(file, tampered, [loadPublicKey(keys.publicKeyFile)]);
    expect(check.status).toBe('bad-signature');
    expect(check.message).toMatch(/changed after key/);
  });

  it('says bad-signature when the signature bytes were altered', () => {
    const keys = generateKeys(dir);
    const { signatureFile } = signFile(file, keys.privateKeyFile);
    const sig = JSON.parse(readFileSync(signatureFile, 'utf8'));
    const bytes = Buffer.from(sig.signature, 'base64');
    bytes[0]! ^= 1;
    sig.signature = bytes.toString('base64');
    writeFileSync(signatureFile, JSON.stringify(sig));
    expect(verifyFileBytes(file, readFileSync(file), [loadPublicKey(keys.publicKeyFile)]).status).toBe(
      'bad-signature',
    );
  });

  it('says wrong-key when signed by a key that is not trusted, naming both ids', () => {
    const signer = generateKeys(dir);
    const otherDir = mkdtempSync(join(tmpdir(), 'pc-sign-other-'));
    const other = generateKeys(otherDir);
    signFile(file, signer.privateKeyFile);
    const check = verifyFileBytes(file, readFileSync(file), [loadPublicKey(other.publicKeyFile)]);
    expect(check.status).toBe('wrong-key');
    expect(check.message).toContain(signer.keyId);
    expect(check.message).toContain(other.keyId);
  });

  it('accepts any of several trusted keys (key rotation)', () => {
    const oldKeys = generateKeys(dir);
    const newDir = mkdtempSync(join(tmpdir(), 'pc-sign-new-'));
    const newKeys = generateKeys(newDir);
    signFile(file, newKeys.privateKeyFile);
    const trusted = [loadPublicKey(oldKeys.publicKeyFile), loadPublicKey(newKeys.publicKeyFile)];
    expect(verifyFileBytes(file, readFileSync(file), trusted)).toMatchObject({
      status: 'valid',
      keyId: newKeys.keyId,
    });
  });

  it('says missing when there is no .sig file', () => {
    const keys = generateKeys(dir);
    const check = verifyFileBytes(file, readFileSync(file), [loadPublicKey(keys.publicKeyFile)]);
    expect(check.status).toBe('missing');
    expect(existsSync(`${file}.sig`)).toBe(false);
  });

  it.each([
    ['not JSON', 'garbage', /not JSON/],
    [
      'wrong algorithm',
      { version: 1, algorithm: 'rsa', keyId: '0123456789abcdef', signature: '', signedAt: '' },
      /algorithm/,
    ],
    [
      'wrong version',
      { version: 2, algorithm: 'ed25519', keyId: '0123456789abcdef', signature: '', signedAt: '' },
      /version/,
    ],
    ['bad key id', { version: 1, algorithm: 'ed25519', keyId: 'XYZ', signature: '', signedAt: '' }, /keyId/],
    [
      'short signature',
      { version: 1, algorithm: 'ed25519', keyId: '0123456789abcdef', signature: 'AAAA', signedAt: '' },
      /64 bytes/,
    ],
    [
      'non-base64 signature',
      { version: 1, algorithm: 'ed25519', keyId: '0123456789abcdef', signature: '!!', signedAt: '' },
      /signature/,
    ],
    [
      'extra field',
      {
        version: 1,
        algorithm: 'ed25519',
        keyId: '0123456789abcdef',
        signature: `${'A'.repeat(86)}==`,
        signedAt: '',
        key: 'x',
      },
      /key/,
    ],
  ])('says malformed for a .sig that is %s', (_what, content, message) => {
    const keys = generateKeys(dir);
    writeFileSync(`${file}.sig`, typeof content === 'string' ? content : JSON.stringify(content));
    const check = verifyFileBytes(file, readFileSync(file), [loadPublicKey(keys.publicKeyFile)]);
    expect(check.status).toBe('malformed');
    expect(check.message).toMatch(message);
  });

  it('parses a well-formed signature document', () => {
    const sig = {
      version: 1,
      algorithm: 'ed25519',
      keyId: '0123456789abcdef',
      signature: `${'A'.repeat(86)}==`,
      signedAt: 'x',
    };
    expect(parseSignature(JSON.stringify(sig))).toEqual(sig);
  });
});

describe('key loading', () => {
  it.runIf(posix)('refuses a private key readable by group or others, saying how to fix it', () => {
    const keys = generateKeys(dir);
    chmodSync(keys.privateKeyFile, 0o644);
    try {
      loadPrivateKey(keys.privateKeyFile);
      expect.unreachable();
    } catch (err) {
      expect((err as PortcullisError).code).toBe('KEY_INVALID');
      expect((err as PortcullisError).message).toMatch(/mode 0644.*chmod 600/);
    }
    expect(codeOf(() => signFile(file, keys.privateKeyFile))).toBe('KEY_INVALID');
    chmodSync(keys.privateKeyFile, 0o640);
    expect(codeOf(() => loadPrivateKey(keys.privateKeyFile))).toBe('KEY_INVALID');
    chmodSync(keys.privateKeyFile, 0o400);
    expect(loadPrivateKey(keys.privateKeyFile).asymmetricKeyType).toBe('ed25519');
  });

  it('rejects malformed keys, keys of other types, and private keys passed as public', () => {
    const keys = generateKeys(dir);
    const junk = join(dir, 'junk.pub');
    writeFileSync(junk, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    expect(codeOf(() => loadPublicKey(junk))).toBe('KEY_INVALID');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const rsaPub = join(dir, 'rsa.pub');
    writeFileSync(rsaPub, rsa.publicKey.export({ format: 'pem', type: 'spki' }));
    expect(() => loadPublicKey(rsaPub)).toThrow(/expected an Ed25519 key, found rsa/);
    const rsaKey = join(dir, 'rsa.key');
    writeFileSync(rsaKey, rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    expect(() => loadPrivateKey(rsaKey)).toThrow(/expected an Ed25519 key/);
    expect(() => loadPublicKey(keys.privateKeyFile)).toThrow(/this is a private key/);
    const junkKey = join(dir, 'junk.key');
    writeFileSync(junkKey, 'not a key', { mode: 0o600 });
    expect(codeOf(() => loadPrivateKey(junkKey))).toBe('KEY_INVALID');
    expect(codeOf(() => loadPublicKey(join(dir, 'absent.pub')))).toBe('INPUT_NOT_FOUND');
    writeFileSync(join(dir, 'big.pub'), 'x'.repeat(100_000));
    expect(() => loadPublicKey(join(dir, 'big.pub'))).toThrow(/too large/);
  });
});
