// Masking secrets out of audit records. The log is read by people and shipped to other systems;
// a credential an agent passed to a tool must not be preserved there (OPA decision logs do the
// same). Two layers: the caller's `mask` hook (it knows its tools), then built-in rules for keys
// that name a secret and for values that look like one. Masking is by replacement, never by a
// hash: a hash of a short password is a dictionary lookup away from the password.

import { createHash } from 'node:crypto';
import { canonicalJson, type JsonValue, toJsonValue, wellFormed } from './canonical.js';

export const MASKED = '[masked]';

/** Called with the whole argument value; returns the value to record (or a masked copy). */
export type MaskHook = (value: unknown) => unknown;

// Words that name a secret when they are a whole word of the key (`api_key`, `apiKey`,
// `X-Api-Key`), or the end of one (`csrftoken`, `dbpassword`).
const SECRET_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'authorization',
  'auth',
  'cookie',
  'credential',
  'credentials',
  'privatekey',
  'secretkey',
  'accesskey',
  'sessionkey',
  'otp',
]);
const SECRET_SUFFIXES = ['password', 'passwd', 'secret', 'token', 'apikey', 'privatekey', 'accesskey'];
// Adjacent word pairs that together name a secret (`api key`, `private key`, `client secret`).
const SECRET_PAIRS = new Set([
  'api key',
  'private key',
  'access key',
  'secret key',
  'session key',
  'set cookie',
]);

/** Splits `X-Api-Key`, `apiKey`, `api_key`, `APIKey` into lower-case words. */
export function keyWords(key: string): string[] {
  const words: string[] = [];
  let current = '';
  for (let i = 0; i < key.length && i < 256; i++) {
    const ch = key[i]!;
    const isUpper = ch >= 'A' && ch <= 'Z';
    const isAlnum = isUpper || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (!isAlnum) {
      if (current) words.push(current);
      current = '';
      continue;
    }
    // A capital starts a word unless it continues an acronym (`APIKey` -> api, key).
    const prev = key[i - 1] ?? '';
    const next = key[i + 1] ?? '';
    const prevLower = prev >= 'a' && prev <= 'z';
    const nextLower = next >= 'a' && next <= 'z';
    const prevUpper = prev >= 'A' && prev <= 'Z';
    if (isUpper && current && (prevLower || (prevUpper && nextLower))) {
      words.push(current);
      current = '';
    }
    current += ch.toLowerCase();
  }
  if (current) words.push(current);
  return words;
}

/** True when the key names a secret (`password`, `api_key`, `Authorization`, `clientSecret`). */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (SECRET_WORDS.has(word)) return true;
    if (word.length > 5 && SECRET_SUFFIXES.some((suffix) => word.endsWith(suffix))) return true;
    if (i > 0 && SECRET_PAIRS.has(`${words[i - 1]} ${word}`)) return true;
  }
  return false;
}

// Values that are credentials whatever key they sit under. Each pattern is anchored on a fixed
// prefix followed by one character class, so matching is linear.
const SECRET_VALUE_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----/,
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/,
  /\bgh[pousr]_[A-Za-z0-9]{30,}/,
  /\bgithub_pat_[A-Za-z0-9_]{40,}/,
  /\bglpat-[A-Za-z0-9_-]{20,}/,
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/,
  /\bxox[abpors]-[A-Za-z0-9-]{10,}/,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/,
  /\bAIza[A-Za-z0-9_-]{35}/,
  /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
];

/** True when a string carries something that looks like a credential. */
export function looksLikeSecret(value: string): boolean {
  return SECRET_VALUE_PATTERNS.some((pattern) => pattern.test(value));
}

/**
 * Applies the hook, converts to plain JSON and masks secret keys and secret-looking values.
 * Under a secret key, strings and whole objects or arrays are masked; numbers and booleans are
 * kept (`max_tokens: 1000` is not a secret, and neither is `auth: false`).
 */
export function maskArgs(value: unknown, hook?: MaskHook): JsonValue {
  const hooked = hook ? hook(value) : value;
  return maskJson(toJsonValue(hooked));
}

export function maskJson(value: JsonValue): JsonValue {
  if (typeof value === 'string') return looksLikeSecret(value) ? MASKED : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(maskJson);
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of Object.entries(value)) {
    if (isSecretKey(key) && item !== null && (typeof item === 'string' || typeof item === 'object')) {
      out[key] = MASKED;
    } else {
      out[key] = maskJson(item);
    }
  }
  return out;
}

/** Arguments larger than this (canonical bytes) are recorded as a digest and a preview. */
export const DEFAULT_MAX_ARGS_BYTES = 64 * 1024;
const PREVIEW_CHARS = 512;

/**
 * Keeps a record bounded: oversized arguments are replaced by their size, SHA-256 (of the masked
 * canonical text, so the original call can still be matched) and a preview.
 */
export function boundArgs(args: JsonValue, maxBytes: number): JsonValue {
  const text = canonicalJson(args);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return args;
  const cut = wellFormed(text.slice(0, PREVIEW_CHARS));
  return {
    $truncated: { bytes, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), preview: cut },
  };
}
