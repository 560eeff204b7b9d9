// AuditLog: the append-only writer. Every append is on disk (write + fdatasync) before its promise
// resolves, so a guard that awaits it can forward the call knowing the decision is recorded; any
// failure rejects with an AuditError so the guard denies instead. Appends that arrive while a
// write is in flight are committed together in the next write (group commit): one fsync for many
// records, without ever resolving a record before it is durable.

import { createHash, createPrivateKey, type KeyObject, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PortcullisError } from '../core/errors.js';
import { type JsonValue, toJsonValue, wellFormed } from './canonical.js';
import { AuditError, errnoOf } from './errors.js';
import {
  type AuditDecision,
  auditKeyId,
  type BrokenState,
  type CheckpointEntry,
  type DecisionEntry,
  encodeEntry,
  GENESIS,
  MAX_LINE_BYTES,
  rawPublicKey,
  type SegmentEntry,
  signCheckpoint,
} from './format.js';
import { acquireLock, type LogLock } from './lock.js';
import { boundArgs, DEFAULT_MAX_ARGS_BYTES, type MaskHook, maskArgs, maskJson } from './mask.js';
import { checkLogTail, verifyAuditLog } from './verify.js';

/** What the guard records about one decision. */
export interface AuditRecordInput {
  /** Defaults to the log's session id. */
  session?: string;
  server: string;
  tool: string;
  /** The protocol method, e.g. `tools/call`. */
  method: string;
  /** Tool arguments; masked and canonicalised before writing. */
  args?: unknown;
  labels?: readonly string[];
  /** The policy rule that decided; empty when none did. */
  rule?: string;
  decision: AuditDecision;
  reason: string;
  /** Digest of the result, when the record is about a result. */
  resultDigest?: string;
  /** Decision id; a fresh UUID by default. */
  id?: string;
  /** Extra JSON fields; masked like arguments. */
  meta?: Record<string, unknown>;
}

/** A written decision record. */
export type AuditRecord = DecisionEntry & { hash: string };

/** The file operations the writer needs: injectable so tests can simulate a full or failing disk. */
export interface AuditFile {
  /** Appends; resolves to the number of bytes written (may be fewer than given). */
  write(data: Buffer): Promise<number>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface AuditLogOptions {
  /**
   * Ed25519 private key for checkpoints: a KeyObject (from a file, use `loadPrivateKey` of
   * portcullis/pin, which also refuses keys others can read) or PKCS#8 PEM text.
   */
  signingKey?: KeyObject | string;
  /** A signed checkpoint after this many records (and on close). Default 100; 0: only on close. */
  checkpointEvery?: number;
  /** Session id for records that name none. Default: a fresh UUID. */
  sessionId?: string;
  /** Masks arguments before the built-in secret masking. */
  mask?: MaskHook;
  /** When the existing log fails its check, start a new chain after it instead of refusing. */
  forceNewChain?: boolean;
  /** Arguments larger than this are recorded as size, digest and preview. Default 64 KiB. */
  maxArgsBytes?: number;
  /** How much of an existing log to check before continuing it. Default 'tail'. */
  verifyOnOpen?: 'tail' | 'full';
  /** Clock, for tests. */
  now?: () => Date;
  /** Opens the log for appending, for fault-injection tests. */
  openFile?: (file: string) => Promise<AuditFile>;
}

export const DEFAULT_CHECKPOINT_EVERY = 100;
const MAX_BATCH = 512;
const MAX_FIELD_CHARS = 4096;

interface ChainState {
  seq: number;
  digest: string;
  hash: string;
  /** Decision records in this chain. */
  count: number;
  sinceCheckpoint: number;
  /** Bytes in the file: where to cut back to after a failed write. */
  size: number;
  lastWasFinalCheckpoint: boolean;
}

type Pending =
  | {
      kind: 'decision';
      fields: Omit<DecisionEntry, 'type' | 'seq' | 'time' | 'prev'>;
      resolve: (r: AuditRecord) => void;
      reject: (e: unknown) => void;
    }
  | {
      kind: 'checkpoint';
      final: boolean;
      resolve: (r: CheckpointEntry | undefined) => void;
      reject: (e: unknown) => void;
    };

async function openAppendFile(file: string): Promise<AuditFile> {
  const handle = await open(file, 'a', 0o600);
  return {
    write: async (data) => (await handle.write(data, 0, data.length, null)).bytesWritten,
    sync: () => handle.datasync(),
    truncate: (length) => handle.truncate(length),
    size: async () => (await handle.stat()).size,
    close: () => handle.close(),
  };
}

/** Makes the new file's directory entry durable too; best effort where directories cannot be synced. */
async function syncDirectory(file: string): Promise<void> {
  try {
    const dir = await open(dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // some filesystems refuse fsync on directories
  }
}

function capString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`${field}: expected a string, got ${typeof value}`);
  const s = wellFormed(value);
  return s.length <= MAX_FIELD_CHARS
    ? s
    : `${s.slice(0, MAX_FIELD_CHARS)}…[+${s.length - MAX_FIELD_CHARS} chars]`;
}

/** SHA-256 of the file's bytes followed by `suffix`, streamed. */
async function sha256OfFile(file: string, suffix: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.update(suffix).digest('hex');
}

export class AuditLog {
  readonly file: string;
  readonly sessionId: string;
  /** Key id of the signing key, when there is one. */
  readonly keyId: string | undefined;

  private readonly out: AuditFile;
  private readonly lock: LogLock;
  private readonly key: KeyObject | undefined;
  private readonly publicKey: string | undefined;
  private readonly every: number;
  private readonly mask: MaskHook | undefined;
  private readonly maxArgsBytes: number;
  private readonly now: () => Date;
  private state: ChainState;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private failure: AuditError | undefined;
  private closeStarted: Promise<void> | undefined;

  private constructor(
    file: string,
    out: AuditFile,
    lock: LogLock,
    state: ChainState,
    options: AuditLogOptions,
  ) {
    this.file = file;
    this.out = out;
    this.lock = lock;
    this.state = state;
    this.sessionId = options.sessionId ?? randomUUID();
    this.key = signingKeyOf(options);
    this.keyId = this.key ? auditKeyId(this.key) : undefined;
    this.publicKey = this.key ? rawPublicKey(this.key).toString('base64') : undefined;
    this.every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    this.mask = options.mask;
    this.maxArgsBytes = options.maxArgsBytes ?? DEFAULT_MAX_ARGS_BYTES;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Opens (creating if needed) a log for appending. An existing log's end is checked and its chain
   * continued; a log that fails the check is refused (AuditError 'chain-broken') unless
   * `forceNewChain`, which starts a new chain recording the broken state's size and digest.
   */
  static async open(file: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    validateOptions(options);
    const lock = await acquireLock(file);
    try {
      return await AuditLog.openLocked(file, options, lock);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  private static async openLocked(file: string, options: AuditLogOptions, lock: LogLock): Promise<AuditLog> {
    const existing = await stat(file).then(
      (st) => st,
      (err) => {
        if (errnoOf(err) === 'ENOENT') return undefined;
        throw new AuditError('write-failed', `cannot stat the audit log (${errnoOf(err) ?? err})`, file, {
          cause: err,
          errno: errnoOf(err),
        });
      },
    );
    if (existing && !existing.isFile())
      throw new AuditError('write-failed', 'the audit log is not a regular file', file);
    let continueFrom: ChainState | undefined;
    let broken: BrokenState | undefined;
    let needsNewline = false;
    if (existing && existing.size > 0) {
      const problems = await checkExisting(file, existing.size, options.verifyOnOpen ?? 'tail');
      if (problems.ok) continueFrom = { ...problems.state, size: existing.size };
      else if (!options.forceNewChain) {
        const first = problems.messages[0] ?? 'unknown problem';
        throw new AuditError(
          'chain-broken',
          `the existing audit log fails verification (${first}); refusing to extend a broken chain — run \`portcullis audit verify\`, then start a new chain with --force-new-chain`,
          file,
        );
      } else {
        needsNewline = await endsWithoutNewline(file, existing.size);
        const digest = await sha256OfFile(file, needsNewline ? '\n' : '');
        broken = {
          bytes: existing.size + (needsNewline ? 1 : 0),
          sha256: digest,
          problems: problems.messages.slice(0, 10),
        };
      }
    }
    let out: AuditFile;
    try {
      out = await (options.openFile ?? openAppendFile)(file);
    } catch (err) {
      throw new AuditError(
        'write-failed',
        `cannot open the audit log for appending (${errnoOf(err) ?? err})`,
        file,
        {
          cause: err,
          errno: errnoOf(err),
        },
      );
    }
    const size = await out.size().catch(() => existing?.size ?? 0);
    const state: ChainState = continueFrom ?? {
      seq: 0,
      digest: GENESIS,
      hash: GENESIS,
      count: 0,
      sinceCheckpoint: 0,
      size,
      lastWasFinalCheckpoint: false,
    };
    const log = new AuditLog(file, out, lock, state, options);
    if (!continueFrom) {
      try {
        await log.startChain(broken, needsNewline);
        if (!existing) await syncDirectory(file);
      } catch (err) {
        await out.close().catch(() => undefined);
        throw err;
      }
    }
    return log;
  }

  private async startChain(broken: BrokenState | undefined, needsNewline: boolean): Promise<void> {
    const header: SegmentEntry = {
      type: 'segment',
      version: 1,
      seq: 1,
      time: this.now().toISOString(),
      prev: GENESIS,
      reason: broken ? 'forced' : 'new',
      session: this.sessionId,
      ...(broken ? { broken } : {}),
    };
    const encoded = encodeEntry(header);
    const state = {
      ...this.state,
      seq: 1,
      digest: encoded.digest,
      hash: encoded.hash,
      count: 0,
      sinceCheckpoint: 0,
    };
    await this.commit(`${needsNewline ? '\n' : ''}${encoded.line}\n`, state);
  }

  /** Last seq written. */
  get lastSeq(): number {
    return this.state.seq;
  }

  /** Set once a failure left this writer unable to continue the chain safely. */
  get failed(): AuditError | undefined {
    return this.failure;
  }

  /**
   * Appends one decision; resolves once it is on disk. Rejects with AuditError when it is not
   * (the caller must then deny the call it was about to make).
   */
  append(input: AuditRecordInput): Promise<AuditRecord> {
    if (this.closeStarted)
      return Promise.reject(new AuditError('closed', 'the audit log is closed', this.file));
    if (this.failure) return Promise.reject(this.failure);
    let fields: Omit<DecisionEntry, 'type' | 'seq' | 'time' | 'prev'>;
    try {
      fields = this.buildFields(input);
    } catch (err) {
      return Promise.reject(
        new AuditError(
          'record-invalid',
          `cannot build the audit record: ${(err as Error).message ?? err}`,
          this.file,
          { cause: err },
        ),
      );
    }
    return new Promise<AuditRecord>((resolve, reject) => {
      this.queue.push({ kind: 'decision', fields, resolve, reject });
      this.kick();
    });
  }

  /** Writes a signed checkpoint now (no-op without a signing key). */
  checkpoint(): Promise<CheckpointEntry | undefined> {
    if (this.closeStarted)
      return Promise.reject(new AuditError('closed', 'the audit log is closed', this.file));
    return this.enqueueCheckpoint(false);
  }

  /** Writes the closing checkpoint (with a key), waits for pending appends, releases the lock. */
  close(): Promise<void> {
    this.closeStarted ??= (async () => {
      let error: unknown;
      try {
        if (this.key && !this.failure) await this.enqueueCheckpoint(true);
        else await this.flushing;
      } catch (err) {
        error = err;
      }
      await this.flushing;
      await this.out.close().catch(() => undefined);
      await this.lock.release();
      if (error) throw error;
    })();
    return this.closeStarted;
  }

  private enqueueCheckpoint(final: boolean): Promise<CheckpointEntry | undefined> {
    if (!this.key) return Promise.resolve(undefined);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'checkpoint', final, resolve, reject });
      this.kick();
    });
  }

  private buildFields(input: AuditRecordInput): Omit<DecisionEntry, 'type' | 'seq' | 'time' | 'prev'> {
    if (typeof input !== 'object' || input === null) throw new TypeError('expected a record object');
    const labels = input.labels ?? [];
    if (!Array.isArray(labels)) throw new TypeError('labels: expected a list of strings');
    const fields: Omit<DecisionEntry, 'type' | 'seq' | 'time' | 'prev'> = {
      id: capString(input.id ?? randomUUID(), 'id'),
      session: capString(input.session ?? this.sessionId, 'session'),
      server: capString(input.server, 'server'),
      tool: capString(input.tool, 'tool'),
      method: capString(input.method, 'method'),
      args: boundArgs(maskArgs(input.args ?? null, this.mask), this.maxArgsBytes),
      labels: labels.slice(0, 64).map((label, i) => capString(label, `labels[${i}]`)),
      rule: capString(input.rule ?? '', 'rule'),
      decision: capString(input.decision, 'decision'),
      reason: capString(input.reason, 'reason'),
    };
    if (input.resultDigest !== undefined) fields.resultDigest = capString(input.resultDigest, 'resultDigest');
    if (input.meta !== undefined) {
      const meta = boundArgs(maskJson(toJsonValue(input.meta)), this.maxArgsBytes);
      if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
        throw new TypeError('meta: expected an object');
      fields.meta = meta as { [key: string]: JsonValue };
    }
    return fields;
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = (async () => {
      try {
        while (this.queue.length > 0) await this.writeBatch(this.queue.splice(0, MAX_BATCH));
      } finally {
        this.flushing = undefined;
      }
    })();
  }

  /** Never throws: every pending promise of the batch is settled, one way or the other. */
  private async writeBatch(batch: Pending[]): Promise<void> {
    try {
      await this.tryWriteBatch(batch);
    } catch (err) {
      const error =
        err instanceof AuditError
          ? err
          : new AuditError(
              'write-failed',
              `could not build the audit batch: ${(err as Error).message ?? err}`,
              this.file,
              {
                cause: err,
              },
            );
      for (const p of batch) p.reject(error);
    }
  }

  private async tryWriteBatch(batch: Pending[]): Promise<void> {
    if (this.failure) {
      for (const p of batch) p.reject(this.failure);
      return;
    }
    const state = { ...this.state };
    const lines: string[] = [];
    const done: (() => void)[] = [];
    const rejected: Pending[] = [];
    const time = this.now().toISOString();
    for (const p of batch) {
      if (p.kind === 'checkpoint') {
        const cp = this.appendCheckpoint(state, lines, time, p.final);
        done.push(() => p.resolve(cp));
        continue;
      }
      const entry: DecisionEntry = {
        type: 'decision',
        seq: state.seq + 1,
        time,
        prev: state.digest,
        ...p.fields,
      };
      const encoded = encodeEntry(entry);
      if (Buffer.byteLength(encoded.line, 'utf8') > MAX_LINE_BYTES) {
        rejected.push(p);
        continue;
      }
      lines.push(encoded.line);
      Object.assign(state, {
        seq: entry.seq,
        digest: encoded.digest,
        hash: encoded.hash,
        lastWasFinalCheckpoint: false,
      });
      state.count++;
      state.sinceCheckpoint++;
      const record: AuditRecord = { ...entry, hash: encoded.hash };
      done.push(() => p.resolve(record));
      if (this.key && this.every > 0 && state.sinceCheckpoint >= this.every)
        this.appendCheckpoint(state, lines, time, false);
    }
    for (const p of rejected) {
      p.reject(
        new AuditError(
          'record-invalid',
          `the audit record is larger than ${MAX_LINE_BYTES} bytes`,
          this.file,
        ),
      );
    }
    if (lines.length === 0) {
      for (const resolve of done) resolve();
      return;
    }
    await this.commit(`${lines.join('\n')}\n`, state); // on failure, writeBatch rejects the whole batch
    for (const resolve of done) resolve();
  }

  private appendCheckpoint(
    state: ChainState,
    lines: string[],
    time: string,
    final: boolean,
  ): CheckpointEntry | undefined {
    if (!this.key || !this.publicKey || !this.keyId) return undefined;
    if (final && state.lastWasFinalCheckpoint) return undefined;
    const unsigned: Omit<CheckpointEntry, 'signature'> = {
      type: 'checkpoint',
      seq: state.seq + 1,
      time,
      prev: state.digest,
      covers: { seq: state.seq, hash: state.hash },
      count: state.count,
      keyId: this.keyId,
      publicKey: this.publicKey,
      final,
    };
    const entry: CheckpointEntry = { ...unsigned, signature: signCheckpoint(unsigned, this.key) };
    const encoded = encodeEntry(entry);
    lines.push(encoded.line);
    Object.assign(state, {
      seq: entry.seq,
      digest: encoded.digest,
      hash: encoded.hash,
      sinceCheckpoint: 0,
      lastWasFinalCheckpoint: final,
    });
    return entry;
  }

  /**
   * Writes `text` and syncs it; on success the chain state becomes `next`. A failed write is cut
   * back so no partial line stays behind; if that or the sync fails, the writer stops for good.
   */
  private async commit(text: string, next: ChainState): Promise<void> {
    const data = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < data.length) {
        const n = await this.out.write(data.subarray(written));
        if (!(n > 0)) throw Object.assign(new Error('write wrote nothing'), { code: 'EIO' });
        written += n;
      }
    } catch (err) {
      const errno = errnoOf(err);
      if (written > 0) {
        try {
          await this.out.truncate(this.state.size);
          await this.out.sync();
        } catch (undoErr) {
          this.failure = new AuditError(
            'writer-failed',
            `an audit write failed (${errno ?? err}) and the partial record could not be removed (${errnoOf(undoErr) ?? undoErr}); the log must be checked before it is extended`,
            this.file,
            { cause: undoErr, errno },
          );
          throw this.failure;
        }
      }
      throw new AuditError(
        'write-failed',
        `could not write to the audit log (${errno ?? (err as Error).message})`,
        this.file,
        {
          cause: err,
          errno,
        },
      );
    }
    try {
      await this.out.sync();
    } catch (err) {
      // After a failed fsync the kernel may have dropped the pages: what is on disk is unknown.
      this.failure = new AuditError(
        'writer-failed',
        `could not sync the audit log (${errnoOf(err) ?? err}); the log must be checked before it is extended`,
        this.file,
        {
          cause: err,
          errno: errnoOf(err),
        },
      );
      throw this.failure;
    }
    this.state = { ...next, size: this.state.size + data.length };
  }
}

function signingKeyOf(options: AuditLogOptions): KeyObject | undefined {
  const key = options.signingKey;
  if (typeof key !== 'string') return key;
  try {
    return createPrivateKey({ key, format: 'pem' });
  } catch {
    throw new PortcullisError('KEY_INVALID', 'the audit signing key is not a PEM private key', {
      field: 'signingKey',
    });
  }
}

function validateOptions(options: AuditLogOptions): void {
  const every = options.checkpointEvery;
  if (every !== undefined && (!Number.isSafeInteger(every) || every < 0)) {
    throw new PortcullisError('USAGE', 'checkpointEvery must be a whole number ≥ 0', {
      field: 'checkpointEvery',
    });
  }
  const key = signingKeyOf(options);
  if (key && (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519')) {
    throw new PortcullisError('KEY_INVALID', 'the audit signing key must be an Ed25519 private key', {
      field: 'signingKey',
    });
  }
  const max = options.maxArgsBytes;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 256 || max > MAX_LINE_BYTES / 2)) {
    throw new PortcullisError('USAGE', `maxArgsBytes must be between 256 and ${MAX_LINE_BYTES / 2}`, {
      field: 'maxArgsBytes',
    });
  }
}

type ExistingCheck = { ok: true; state: Omit<ChainState, 'size'> } | { ok: false; messages: string[] };

async function checkExisting(file: string, size: number, mode: 'tail' | 'full'): Promise<ExistingCheck> {
  if (mode === 'full') {
    const result = await verifyAuditLog(file);
    if (!result.ok)
      return { ok: false, messages: result.problems.map((p) => `line ${p.line}: ${p.kind}: ${p.message}`) };
  }
  const tail = await checkLogTail(file, size);
  if (!tail.ok)
    return { ok: false, messages: tail.problems.map((p) => `line ${p.line}: ${p.kind}: ${p.message}`) };
  const t = tail.tail;
  return {
    ok: true,
    state: {
      seq: t.seq,
      digest: t.digest,
      hash: t.hash,
      count: t.count ?? 0,
      sinceCheckpoint: t.sinceCheckpoint,
      lastWasFinalCheckpoint: t.entry.type === 'checkpoint' && t.entry.final,
    },
  };
}

async function endsWithoutNewline(file: string, size: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(1);
    await handle.read(buf, 0, 1, size - 1);
    return buf[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}
