// verifyAuditLog: a full, streaming check of a log file. checkLogTail: the writer's cheaper check of
// the end of an existing log before continuing its chain.

import type { KeyObject } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { PortcullisError } from '../core/errors.js';
import { type AuditProblem, ChainChecker, type ChainTail, type CheckpointInfo } from './checker.js';
import { auditKeyId, MAX_LINE_BYTES } from './format.js';
import { newPrefixHash, readLines } from './reader.js';

export interface AuditVerifyOptions {
  /** Trusted public key(s). Without one, checkpoints are checked with the key the log embeds. */
  publicKey?: KeyObject | readonly KeyObject[];
  /**
   * The log is finished (archived, its writer closed): not ending with a valid closing checkpoint
   * is then a `truncated` problem rather than a note.
   */
  requireClosed?: boolean;
}

export interface AuditVerifyResult {
  /** No problems: nothing was edited, removed, inserted, reordered or cut that the log can prove. */
  ok: boolean;
  file: string;
  lines: number;
  /** Decision records. */
  records: number;
  checkpoints: number;
  /** Checkpoints whose signature is valid (and by a trusted key, when keys were given). */
  validCheckpoints: number;
  /** Chains in the file (more than one after --force-new-chain). */
  segments: number;
  lastSeq?: number;
  /** The last checkpoint with a valid signature: records up to it are proven. */
  lastCheckpoint?: CheckpointInfo;
  /** Decision records after the last valid checkpoint: nothing proves they are all there. */
  unproven: number;
  /** The log ends with a valid closing checkpoint. */
  closed: boolean;
  keyIds: string[];
  /** Whether checkpoints were checked against trusted keys (true) or the embedded key (false). */
  trustedKeys: boolean;
  problems: AuditProblem[];
  /** Problems beyond the first 1000, counted but not listed. */
  omittedProblems: number;
  /** What the check could not prove, and events worth knowing (forced chains, key changes). */
  notes: string[];
}

async function fileSize(file: string): Promise<number> {
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new PortcullisError('INPUT_INVALID', 'not a regular file', { file });
    return st.size;
  } catch (err) {
    if (err instanceof PortcullisError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PortcullisError('INPUT_NOT_FOUND', 'audit log not found', { file });
    throw new PortcullisError('INPUT_INVALID', `cannot read the audit log (${code ?? String(err)})`, {
      file,
    });
  }
}

/** Checks the whole log in one streaming pass. Throws PortcullisError only when it cannot read the file. */
export async function verifyAuditLog(
  file: string,
  options: AuditVerifyOptions = {},
): Promise<AuditVerifyResult> {
  const size = await fileSize(file);
  const keys =
    options.publicKey === undefined
      ? []
      : Array.isArray(options.publicKey)
        ? options.publicKey
        : [options.publicKey];
  const trustedKeyIds = keys.length > 0 ? new Set(keys.map((k) => auditKeyId(k as KeyObject))) : undefined;
  const checker = new ChainChecker(trustedKeyIds ? { trustedKeyIds } : {});
  const prefixHash = newPrefixHash();
  try {
    for await (const line of readLines(file, { prefixHash, end: size })) {
      checker.feed(line, () => prefixHash.copy().digest('hex'));
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PortcullisError('INPUT_INVALID', `cannot read the audit log (${code ?? String(err)})`, {
      file,
    });
  }
  checker.finish(options.requireClosed ?? false);
  return {
    ok: checker.problems.length === 0 && checker.omittedProblems === 0,
    file,
    lines: checker.lines,
    records: checker.records,
    checkpoints: checker.checkpoints,
    validCheckpoints: checker.validCheckpoints,
    segments: checker.segments,
    ...(checker.lastSeq !== undefined ? { lastSeq: checker.lastSeq } : {}),
    ...(checker.lastCheckpoint ? { lastCheckpoint: checker.lastCheckpoint } : {}),
    unproven: checker.unproven,
    closed: checker.closed,
    keyIds: checker.keyIds,
    trustedKeys: trustedKeyIds !== undefined,
    problems: checker.problems,
    omittedProblems: checker.omittedProblems,
    notes: proofNotes(checker, trustedKeyIds !== undefined),
  };
}

function proofNotes(checker: ChainChecker, trusted: boolean): string[] {
  const notes = [...checker.notes];
  if (checker.checkpoints === 0) {
    notes.push(
      'no signed checkpoints: the hash chain shows records edited, removed or reordered in place, but whoever can write the file could rewrite all of it, or cut its end, without a trace (give the writer a signing key)',
    );
  } else if (checker.unproven > 0) {
    const cp = checker.lastCheckpoint;
    const after = cp
      ? `the last valid checkpoint (line ${cp.line}, seq ${cp.seq})`
      : 'the start (no valid checkpoint)';
    notes.push(
      `${checker.unproven} record(s) after ${after} are not covered by a signature: had records after it been removed or rewritten, this check could not tell`,
    );
  }
  if (checker.lines > 0 && !checker.closed) {
    notes.push(
      'the log does not end with a closing checkpoint: its writer is still running or stopped without closing, or the end of the log was cut',
    );
  }
  if (!trusted && checker.validCheckpoints > 0) {
    notes.push(
      `signatures were checked with the key the log embeds (${checker.keyIds.join(', ')}); pass --pub to check they were made by your key`,
    );
  }
  return notes;
}

/** What the writer learns from the end of an existing log. */
export type TailCheck = { ok: true; tail: ChainTail } | { ok: false; problems: AuditProblem[] };

/** How much of the end of a log the writer checks before continuing it. */
export const TAIL_WINDOW_BYTES = 4 * MAX_LINE_BYTES;

/**
 * Checks the last `windowBytes` of a non-empty log: complete final line, every record's hash, the
 * links and seqs between them, checkpoint signatures. Falls back to the whole file when the window
 * holds no chain header or checkpoint (the record count for the next checkpoint must be exact).
 */
export async function checkLogTail(
  file: string,
  size: number,
  windowBytes = TAIL_WINDOW_BYTES,
): Promise<TailCheck> {
  const whole = size <= windowBytes;
  const result = await scan(file, whole ? 0 : size - windowBytes, !whole);
  if (result.ok && result.tail.count === undefined) return scan(file, 0, false);
  return result;
}

async function scan(file: string, start: number, anchored: boolean): Promise<TailCheck> {
  const checker = new ChainChecker({ anchored });
  let first = anchored; // the first line of a window starting mid-file is a partial line: skip it
  for await (const line of readLines(file, { start })) {
    if (first) {
      first = false;
      continue;
    }
    checker.feed(line);
  }
  checker.finish();
  const tail = checker.tail();
  if (checker.problems.length > 0 || checker.omittedProblems > 0 || !tail) {
    return { ok: false, problems: checker.problems };
  }
  return { ok: true, tail };
}
