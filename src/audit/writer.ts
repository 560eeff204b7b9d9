// AuditLog: the append-only writer. Every append is written to the file before its promise
// resolves, so a guard that awaits it can forward the call knowing the decision is recorded; any
// failure rejects with an AuditError so the guard denies instead. Durability against power loss is
// a choice (`sync`): fdatasync before each append resolves, or within a short interval after it
// (the default; a process crash loses nothing either way). Appends that arrive while a write is in
// flight are committed together in the next write (group commit).

import { type KeyObject, randomUUID } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AuditError, errnoOf } from './errors.js';
import {
  type AuditFile,
  type ChainState,
  checkExisting,
  endsWithoutNewline,
  openAppendFile,
  sha256OfFile,
  syncDirectory,
} from './file.js';
import {
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
import { DEFAULT_MAX_ARGS_BYTES } from './mask.js';
import { type AuditLogOptions, signingKeyOf, validateOptions } from './options.js';
import {
  type AuditRecord,
  type AuditRecordInput,
  buildDecisionFields,
  type DecisionFields,
  type RecordContext,
} from './record.js';

export type { AuditFile } from './file.js';
export type { AuditLogOptions } from './options.js';
export type { AuditRecord, AuditRecordInput } from './record.js';

export const DEFAULT_CHECKPOINT_EVERY = 100;
export const DEFAULT_SYNC_INTERVAL_MS = 100;
const MAX_BATCH = 512;

type Pending =
  | {
      kind: 'decision';
      fields: DecisionFields;
      resolve: (r: AuditRecord) => void;
      reject: (e: unknown) => void;
    }
  | {
      kind: 'checkpoint';
      final: boolean;
      resolve: (r: CheckpointEntry | undefined) => void;
      reject: (e: unknown) => void;
    };

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
  private readonly syncEach: boolean;
  private readonly syncIntervalMs: number;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private readonly recordContext: RecordContext;
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
    this.syncEach = options.sync === 'each';
    this.syncIntervalMs = options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS;
    this.recordContext = {
      sessionId: this.sessionId,
      mask: options.mask,
      maxArgsBytes: options.maxArgsBytes ?? DEFAULT_MAX_ARGS_BYTES,
    };
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Opens (creating if needed) a log for appending. An existing log's end is checked and its chain
   * continued; a log that fails the check is refused (AuditError 'chain-broken') unless
   * `forceNewChain`, which starts a new chain recording the broken state's size and digest.
   */
  static async open(file: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    validateOptions(options);
    // The default log location may not exist yet; a private directory, like the log itself.
    await mkdir(dirname(file), { recursive: true, mode: 0o700 }).catch(() => undefined);
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
    let fields: DecisionFields;
    try {
      fields = buildDecisionFields(input, this.recordContext);
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
      if (this.syncTimer) clearTimeout(this.syncTimer);
      this.syncTimer = undefined;
      if (!this.syncEach && !this.failure) await this.syncNow().catch((err) => (error ??= err));
      await this.syncing?.catch(() => undefined);
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
    if (this.syncEach) await this.syncNow();
    this.state = { ...next, size: this.state.size + data.length };
    if (!this.syncEach) this.scheduleSync();
  }

  /** In `write` mode: one fdatasync for everything written in the last interval. */
  private scheduleSync(): void {
    if (this.syncTimer || this.failure) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      // A failure stops the writer (this.failure): later appends reject and the guard denies.
      this.syncNow().catch(() => undefined);
    }, this.syncIntervalMs);
    this.syncTimer.unref();
  }

  private syncNow(): Promise<void> {
    const run = async () => {
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
    };
    const next = (this.syncing ?? Promise.resolve()).catch(() => undefined).then(run);
    this.syncing = next;
    return next;
  }
}
