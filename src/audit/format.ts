// The audit log's on-disk form: one JSON object per line, each line an entry in a hash chain.
//
//   line  = '{"hash":"' + hash + '",' + body.slice(1)
//   body  = RFC 8785 canonical JSON of the entry without `hash`
//   hash  = hex SHA-256 of body
//   prev  = hex SHA-256 of the previous line's exact bytes (without its newline); GENESIS first
//
// `hash` goes first so a verifier checks the exact bytes written (any edit, even whitespace, shows)
// without re-serialising. Because the body is canonical, hashing canonicalize(parse(line) - hash)
// gives the same value, so an independent verifier can follow the plain definition.

import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson, type JsonValue } from './canonical.js';

export const AUDIT_FORMAT_VERSION = 1;
/** `prev` of the first entry of a chain. */
export const GENESIS = '0'.repeat(64);
/** Signatures cover this prefix plus the checkpoint body, so they cannot be replayed elsewhere. */
export const CHECKPOINT_DOMAIN = 'portcullis-audit-checkpoint-v1\n';
/** The writer never produces a longer line; the reader treats longer ones as malformed. */
export const MAX_LINE_BYTES = 1024 * 1024;

export type AuditDecision = 'allow' | 'deny' | 'require-approval' | 'transform' | (string & {});

interface EntryBase {
  /** Position in the chain, from 1 (the segment header) without gaps. */
  seq: number;
  /** ISO 8601 time of writing. */
  time: string;
  prev: string;
}

/** What a forced new chain records about the broken log it follows. */
export interface BrokenState {
  /** Size in bytes of the file before this segment (after terminating a partial last line). */
  bytes: number;
  /** SHA-256 of those bytes, so the broken part cannot be edited further without notice. */
  sha256: string;
  /** Why verification failed, briefly (at most 10). */
  problems: string[];
}

/** First entry of every chain. `reason: 'forced'` when a writer started over after a failed check. */
export interface SegmentEntry extends EntryBase {
  type: 'segment';
  version: typeof AUDIT_FORMAT_VERSION;
  reason: 'new' | 'forced';
  session: string;
  broken?: BrokenState;
}

/** One guard decision. */
export interface DecisionEntry extends EntryBase {
  type: 'decision';
  id: string;
  session: string;
  server: string;
  tool: string;
  method: string;
  /** Canonical JSON of the arguments with secrets masked. */
  args: JsonValue;
  labels: string[];
  rule: string;
  decision: AuditDecision;
  reason: string;
  resultDigest?: string;
  meta?: { [key: string]: JsonValue };
}

/** An Ed25519 signature over the chain up to the entry before it. */
export interface CheckpointEntry extends EntryBase {
  type: 'checkpoint';
  /** seq and hash of the entry this checkpoint follows. */
  covers: { seq: number; hash: string };
  /** Decision records in this chain up to here. */
  count: number;
  keyId: string;
  /** The raw 32-byte Ed25519 public key, base64. Trust comes from `--pub`, not from this field. */
  publicKey: string;
  /** base64 Ed25519 signature over CHECKPOINT_DOMAIN + canonical body without `signature`. */
  signature: string;
  /** Written by close(): the writer stopped cleanly here. */
  final: boolean;
}

export type AuditEntry = SegmentEntry | DecisionEntry | CheckpointEntry;

export interface EncodedEntry {
  /** The line without its newline. */
  line: string;
  hash: string;
  /** SHA-256 of the line's bytes: the next entry's `prev`. */
  digest: string;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function encodeEntry(entry: AuditEntry): EncodedEntry {
  const body = canonicalJson(entry as unknown as JsonValue);
  const hash = sha256Hex(body);
  const line = `{"hash":"${hash}",${body.slice(1)}`;
  return { line, hash, digest: sha256Hex(line) };
}

const PREFIX = Buffer.from('{"hash":"');
const HASH_END = PREFIX.length + 64;
const BODY_START = HASH_END + 2;

export type DecodedLine =
  | { ok: true; entry: AuditEntry; hash: string; hashMatches: boolean }
  | { ok: false; message: string; seq?: number };

const HEX64 = /^[0-9a-f]{64}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses one line (without newline) and checks its hash. Never throws. */
export function decodeLine(bytes: Uint8Array): DecodedLine {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < BODY_START + 1 || !buf.subarray(0, PREFIX.length).equals(PREFIX)) {
    return { ok: false, message: 'not an audit record (a line must start with {"hash":"…")' };
  }
  const hash = buf.toString('latin1', PREFIX.length, HASH_END);
  if (!HEX64.test(hash) || buf[HASH_END] !== 0x22 || buf[HASH_END + 1] !== 0x2c) {
    return { ok: false, message: 'malformed hash field' };
  }
  const bodyHash = createHash('sha256').update('{').update(buf.subarray(BODY_START)).digest('hex');
  let body: unknown;
  try {
    body = JSON.parse(`{${buf.toString('utf8', BODY_START)}`);
  } catch {
    return { ok: false, message: 'not valid JSON' };
  }
  const checked = checkEntry(body);
  if (typeof checked === 'string') {
    const seq = (body as { seq?: unknown } | null)?.seq;
    return Number.isSafeInteger(seq)
      ? { ok: false, message: checked, seq: seq as number }
      : { ok: false, message: checked };
  }
  return { ok: true, entry: checked, hash, hashMatches: bodyHash === hash };
}

type Fields = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

/** The entry if its fields have the right shapes, else what is wrong. */
export function checkEntry(body: unknown): AuditEntry | string {
  if (!isObject(body)) return 'not a JSON object';
  if ('hash' in body) return 'a second hash field';
  if (!isSeq(body.seq)) return 'seq: not a positive integer';
  if (!isString(body.time)) return 'time: not a string';
  if (!isString(body.prev) || !HEX64.test(body.prev)) return 'prev: not a SHA-256 hex digest';
  switch (body.type) {
    case 'segment':
      return checkSegment(body);
    case 'decision':
      return checkDecision(body);
    case 'checkpoint':
      return checkCheckpoint(body);
    default:
      return 'type: not segment, decision or checkpoint';
  }
}

function checkSegment(b: Fields): SegmentEntry | string {
  if (b.version !== AUDIT_FORMAT_VERSION) return `version: not ${AUDIT_FORMAT_VERSION}`;
  if (b.reason !== 'new' && b.reason !== 'forced') return 'reason: not new or forced';
  if (!isString(b.session)) return 'session: not a string';
  if (b.reason === 'forced') {
    const broken = b.broken;
    if (!isObject(broken)) return 'broken: missing on a forced segment';
    if (!Number.isSafeInteger(broken.bytes) || (broken.bytes as number) < 0)
      return 'broken.bytes: not a size';
    if (!isString(broken.sha256) || !HEX64.test(broken.sha256)) return 'broken.sha256: not a digest';
    if (!Array.isArray(broken.problems) || !broken.problems.every(isString))
      return 'broken.problems: not strings';
  } else if (b.broken !== undefined) return 'broken: only on a forced segment';
  return b as unknown as SegmentEntry;
}

function checkDecision(b: Fields): DecisionEntry | string {
  for (const field of ['id', 'session', 'server', 'tool', 'method', 'rule', 'decision', 'reason'] as const) {
    if (!isString(b[field])) return `${field}: not a string`;
  }
  if (!('args' in b)) return 'args: missing';
  if (!Array.isArray(b.labels) || !b.labels.every(isString)) return 'labels: not a list of strings';
  if (b.resultDigest !== undefined && !isString(b.resultDigest)) return 'resultDigest: not a string';
  if (b.meta !== undefined && !isObject(b.meta)) return 'meta: not an object';
  return b as unknown as DecisionEntry;
}

function checkCheckpoint(b: Fields): CheckpointEntry | string {
  const covers = b.covers;
  if (!isObject(covers) || !isSeq(covers.seq) || !isString(covers.hash) || !HEX64.test(covers.hash)) {
    return 'covers: not {seq, hash}';
  }
  if (!Number.isSafeInteger(b.count) || (b.count as number) < 0) return 'count: not a count';
  if (!isString(b.keyId) || !HEX16.test(b.keyId)) return 'keyId: not 16 hex digits';
  if (!isString(b.publicKey) || !BASE64.test(b.publicKey)) return 'publicKey: not base64';
  if (!isString(b.signature) || !BASE64.test(b.signature)) return 'signature: not base64';
  if (typeof b.final !== 'boolean') return 'final: not a boolean';
  return b as unknown as CheckpointEntry;
}

/** The raw 32-byte Ed25519 public key of a public or private key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
}

/**
 * First 16 hex digits of SHA-256 over the raw public key: the convention of src/pin's keyIdOf
 * (a test holds them equal), so `portcullis keygen` keys are named the same everywhere.
 */
export function auditKeyId(key: KeyObject): string {
  return sha256Hex(rawPublicKey(key)).slice(0, 16);
}

function checkpointPayload(entry: Omit<CheckpointEntry, 'signature'>): Buffer {
  const { signature: _ignored, ...unsigned } = entry as CheckpointEntry;
  return Buffer.from(CHECKPOINT_DOMAIN + canonicalJson(unsigned as unknown as JsonValue), 'utf8');
}

export function signCheckpoint(unsigned: Omit<CheckpointEntry, 'signature'>, key: KeyObject): string {
  return sign(null, checkpointPayload(unsigned), key).toString('base64');
}

/** Checks a checkpoint's signature with the key it embeds. Returns undefined when valid, else why not. */
export function checkCheckpointSignature(entry: CheckpointEntry): string | undefined {
  const raw = Buffer.from(entry.publicKey, 'base64');
  if (raw.length !== 32) return 'the embedded public key is not 32 bytes';
  if (sha256Hex(raw).slice(0, 16) !== entry.keyId) return 'keyId does not match the embedded public key';
  const signature = Buffer.from(entry.signature, 'base64');
  if (signature.length !== 64) return 'the signature is not 64 bytes';
  let key: KeyObject;
  try {
    key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
  } catch {
    return 'the embedded public key is not an Ed25519 key';
  }
  return verify(null, checkpointPayload(entry), key, signature) ? undefined : 'the signature does not match';
}
