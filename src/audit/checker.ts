// The chain checker: a state machine fed one line at a time (constant memory), shared by
// verifyAuditLog and by the writer's check of an existing log's tail. It says what kind of damage
// it sees and where, attributing a problem to the line that is wrong rather than to the first line
// that notices: a replaced record is only noticed by the record after it, but it is the replaced
// record that gets reported.

import {
  type AuditEntry,
  type CheckpointEntry,
  checkCheckpointSignature,
  decodeLine,
  GENESIS,
  MAX_LINE_BYTES,
  type SegmentEntry,
  sha256Hex,
} from './format.js';
import type { RawLine } from './reader.js';

export type AuditProblemKind =
  | 'edited'
  | 'deleted'
  | 'reordered'
  | 'truncated'
  | 'bad-signature'
  | 'malformed'
  | 'inserted';

export interface AuditProblem {
  /** 1-based line number in the file. */
  line: number;
  seq?: number;
  kind: AuditProblemKind;
  message: string;
}

export interface CheckpointInfo {
  line: number;
  seq: number;
  keyId: string;
  /** Decision records in its chain up to it. */
  count: number;
  final: boolean;
}

/** Where the chain ends, for a writer continuing it. */
export interface ChainTail {
  seq: number;
  digest: string;
  hash: string;
  entry: AuditEntry;
  /** Decision records in the last chain, when known (a header or a valid checkpoint was seen). */
  count: number | undefined;
  /** Decision records since the last checkpoint. */
  sinceCheckpoint: number;
}

export interface CheckerOptions {
  /** Key ids whose checkpoints count as trusted; without it the embedded key is used. */
  trustedKeyIds?: ReadonlySet<string>;
  /** The first line fed is not the file's first: take it as given (tail checks). */
  anchored?: boolean;
}

const MAX_PROBLEMS = 1000;
const MAX_MISSING_RANGES = 256;

interface SeenLine {
  line: number;
  seq?: number;
  digest: string;
  hash?: string;
}

interface MissingRange {
  from: number;
  to: number;
  /** The line where the gap showed. */
  line: number;
}

const range = (from: number, to: number) => (from === to ? `seq ${from}` : `seq ${from}–${to}`);

export class ChainChecker {
  readonly problems: AuditProblem[] = [];
  omittedProblems = 0;
  readonly notes: string[] = [];
  lines = 0;
  records = 0;
  checkpoints = 0;
  validCheckpoints = 0;
  segments = 0;
  /** Decision records after the last valid checkpoint. */
  unproven = 0;
  lastCheckpoint: CheckpointInfo | undefined;
  readonly keyIds: string[] = [];

  private readonly trusted: ReadonlySet<string> | undefined;
  private anchorPending: boolean;
  private expectedPrev = GENESIS;
  private previous: SeenLine | undefined;
  private beforePrevious: SeenLine | undefined;
  private previousHadProblem = false;
  private maxSeq = 0;
  private unknownSlots = 0;
  private segmentCount: number | undefined = 0;
  private sinceCheckpoint = 0;
  private problemSinceCheckpoint = false;
  private missing: MissingRange[] = [];
  private lastEntry: AuditEntry | undefined;
  private lastEntryValid = false;
  private lastCheckpointLine = 0;
  /** The current line belongs to a problem reported on an earlier line. */
  private lineFlagged = false;
  private reorderRun:
    | { gapLine: number; firstSeq: number; lastSeq: number; lastLine: number; problem: AuditProblem }
    | undefined;

  constructor(options: CheckerOptions = {}) {
    this.trusted = options.trustedKeyIds;
    this.anchorPending = options.anchored ?? false;
  }

  private report(line: number, seq: number | undefined, kind: AuditProblemKind, message: string): void {
    this.problemSinceCheckpoint = true;
    if (this.problems.length >= MAX_PROBLEMS) {
      this.omittedProblems++;
      return;
    }
    this.problems.push(seq === undefined ? { line, kind, message } : { line, seq, kind, message });
  }

  /** Feeds the next line. `prefixDigest` gives SHA-256 of all bytes before it (full checks only). */
  feed(raw: RawLine, prefixDigest?: () => string): void {
    this.lines++;
    this.lineFlagged = false;
    const before = this.problems.length + this.omittedProblems;
    if (raw.tooLong) {
      const kind = raw.terminated ? 'malformed' : 'truncated';
      this.report(raw.line, undefined, kind, `line is longer than ${MAX_LINE_BYTES} bytes`);
      this.unknownLine(raw, '');
      return;
    }
    const decoded = decodeLine(raw.bytes);
    if (!decoded.ok) {
      if (!raw.terminated) {
        this.report(
          raw.line,
          decoded.seq,
          'truncated',
          'the last line is incomplete: the file was cut mid-record',
        );
      } else this.report(raw.line, decoded.seq, 'malformed', decoded.message);
      this.unknownLine(raw, sha256Hex(raw.bytes));
      return;
    }
    const { entry, hash } = decoded;
    const seq = entry.seq;
    if (!raw.terminated) {
      this.report(raw.line, seq, 'truncated', 'no newline after the last record: the file was cut');
    }
    if (!decoded.hashMatches) {
      this.report(
        raw.line,
        seq,
        'edited',
        'the record was changed after it was written: it no longer matches its hash',
      );
    }
    const digest = sha256Hex(raw.bytes);
    const anchor = this.anchorPending;
    this.anchorPending = false;

    if (entry.type === 'segment') this.startSegment(raw, entry, anchor, prefixDigest);
    else if (anchor || (this.segments === 0 && this.lines === 1)) {
      if (!anchor) {
        this.report(
          raw.line,
          seq,
          'deleted',
          'the log does not begin with its header: the start of the log was cut',
        );
      }
      this.maxSeq = seq;
      this.segmentCount = undefined;
    } else if (
      !this.checkSeq(raw.line, entry, digest) &&
      !this.previousHadProblem &&
      entry.prev !== this.expectedPrev
    ) {
      this.chainBreak(raw.line, entry);
    }

    const lineHadProblem = this.problems.length + this.omittedProblems > before || this.lineFlagged;
    if (entry.type === 'decision') {
      this.records++;
      this.unproven++;
      this.sinceCheckpoint++;
      if (this.segmentCount !== undefined) this.segmentCount++;
    } else if (entry.type === 'checkpoint') {
      this.checkCheckpoint(raw.line, entry, lineHadProblem, anchor);
    }
    this.beforePrevious = this.previous;
    this.previous = { line: raw.line, seq, digest, hash };
    this.previousHadProblem = this.problems.length + this.omittedProblems > before || this.lineFlagged;
    this.expectedPrev = digest;
    this.lastEntry = entry;
    this.lastEntryValid = !this.previousHadProblem;
  }

  private unknownLine(raw: RawLine, digest: string): void {
    this.beforePrevious = this.previous;
    this.previous = { line: raw.line, digest };
    this.previousHadProblem = true;
    this.expectedPrev = digest;
    this.unknownSlots++;
    this.lastEntry = undefined;
    this.lastEntryValid = false;
    if (this.anchorPending) this.anchorPending = false;
  }

  private startSegment(
    raw: RawLine,
    entry: SegmentEntry,
    anchor: boolean,
    prefixDigest: (() => string) | undefined,
  ): void {
    this.flushMissing();
    this.segments++;
    if (!anchor) {
      if (raw.offset === 0 && entry.reason === 'new') {
        // the normal start of a log
      } else if (entry.reason === 'new') {
        this.report(
          raw.line,
          entry.seq,
          'inserted',
          'a new-log header in the middle of the file: another log was spliced in here',
        );
      } else {
        const broken = entry.broken!;
        if (broken.bytes !== raw.offset) {
          this.report(
            raw.line,
            entry.seq,
            broken.bytes > raw.offset ? 'deleted' : 'inserted',
            `a forced new chain records ${broken.bytes} bytes of broken log before it, but ${raw.offset} bytes precede it`,
          );
        } else if (prefixDigest && prefixDigest() !== broken.sha256) {
          this.report(
            raw.line,
            entry.seq,
            'edited',
            'the broken log before this forced new chain was changed after the chain was forced',
          );
        }
        this.notes.push(
          `line ${raw.line}: a new chain was started with --force-new-chain after the log failed verification (${broken.problems.join('; ') || 'no reason recorded'})`,
        );
      }
      if (entry.seq !== 1 || entry.prev !== GENESIS) {
        this.report(raw.line, entry.seq, 'edited', 'a chain header must have seq 1 and the genesis prev');
      }
    }
    this.maxSeq = entry.seq;
    this.unknownSlots = 0;
    this.segmentCount = 0;
    this.sinceCheckpoint = 0;
    this.problemSinceCheckpoint = false;
  }

  /** Checks the seq against the chain so far; true when it reported a problem. */
  private checkSeq(line: number, entry: AuditEntry, digest: string): boolean {
    const seq = entry.seq;
    const expected = this.maxSeq + 1;
    if (seq === expected) {
      this.maxSeq = seq;
      this.unknownSlots = 0;
      return false;
    }
    if (seq > expected) {
      const gap = seq - expected;
      this.maxSeq = seq;
      if (gap <= this.unknownSlots) {
        this.unknownSlots = 0; // the malformed lines before this one held those seqs
        return false;
      }
      this.unknownSlots = 0;
      this.missing.push({ from: expected, to: seq - 1, line });
      this.lineFlagged = true;
      this.problemSinceCheckpoint = true; // reported at the end, once it is known nothing was moved
      if (this.missing.length > MAX_MISSING_RANGES) this.emitMissing(this.missing.shift()!);
      return true;
    }
    const index = this.missing.findIndex((r) => seq >= r.from && seq <= r.to);
    if (index >= 0) {
      const r = this.missing[index]!;
      const rest: MissingRange[] = [];
      if (r.from < seq) rest.push({ from: r.from, to: seq - 1, line: r.line });
      if (seq < r.to) rest.push({ from: seq + 1, to: r.to, line: r.line });
      this.missing.splice(index, 1, ...rest);
      // A run of records arriving in order after a later one (that one was moved up) is one
      // problem, not one per record.
      const run = this.reorderRun;
      if (run && run.gapLine === r.line && run.lastSeq === seq - 1 && run.lastLine === line - 1) {
        run.lastSeq = seq;
        run.lastLine = line;
        run.problem.message = `${range(run.firstSeq, seq)} come after seq ${this.maxSeq} (line ${r.line}): records were moved`;
        this.lineFlagged = true; // part of a reported problem: the next line's link is explained
        this.problemSinceCheckpoint = true;
        return true;
      }
      this.report(
        line,
        seq,
        'reordered',
        `seq ${seq} comes after seq ${this.maxSeq} (line ${r.line}): records were moved`,
      );
      const problem = this.problems[this.problems.length - 1];
      this.reorderRun = problem
        ? { gapLine: r.line, firstSeq: seq, lastSeq: seq, lastLine: line, problem }
        : undefined;
      return true;
    }
    const prev = this.previous;
    if (prev && prev.seq === seq && digest === prev.digest) {
      this.report(line, seq, 'inserted', `this line is a copy of the line before it (line ${prev.line})`);
    } else if (prev && prev.seq === seq && this.beforePrevious && entry.prev === this.beforePrevious.digest) {
      this.report(
        prev.line,
        prev.seq,
        'inserted',
        `this record was inserted: the record after it (line ${line}, also seq ${seq}) was written right after the record before it`,
      );
    } else {
      this.report(
        line,
        seq,
        'inserted',
        `seq ${seq} was already used earlier in this chain: a record was inserted or copied`,
      );
    }
    return true;
  }

  /** `prev` does not match the line before, though seqs run in order. */
  private chainBreak(line: number, entry: AuditEntry): void {
    const prev = this.previous!;
    if (this.beforePrevious && entry.prev === this.beforePrevious.digest) {
      this.report(
        prev.line,
        prev.seq,
        'inserted',
        `this record was inserted: the record after it (line ${line}) was written right after the record before it`,
      );
    } else {
      this.report(
        prev.line,
        prev.seq,
        'edited',
        `this record was replaced or rewritten with a recomputed hash: the record after it (line ${line}) was written after a different one`,
      );
    }
  }

  private checkCheckpoint(
    line: number,
    entry: CheckpointEntry,
    lineHadProblem: boolean,
    anchor: boolean,
  ): void {
    this.checkpoints++;
    const prev = this.previous;
    if (!lineHadProblem && !anchor && prev && !this.previousHadProblem) {
      if (entry.covers.seq !== prev.seq || entry.covers.hash !== prev.hash) {
        this.report(
          line,
          entry.seq,
          'edited',
          `the checkpoint does not cover the record before it (line ${prev.line})`,
        );
      } else if (
        this.segmentCount !== undefined &&
        entry.count !== this.segmentCount &&
        !this.problemSinceCheckpoint
      ) {
        this.report(
          line,
          entry.seq,
          entry.count > this.segmentCount ? 'deleted' : 'inserted',
          `the checkpoint counts ${entry.count} records in this chain, the log holds ${this.segmentCount}`,
        );
      }
    }
    const last = this.keyIds[this.keyIds.length - 1];
    if (last !== undefined && last !== entry.keyId) {
      this.notes.push(
        `line ${line}: checkpoints are signed by key ${entry.keyId} from here on (before: ${last})`,
      );
    }
    if (!this.keyIds.includes(entry.keyId) && this.keyIds.length < 32) this.keyIds.push(entry.keyId);
    const invalid = checkCheckpointSignature(entry);
    const since = this.lastCheckpointLine
      ? `since line ${this.lastCheckpointLine}`
      : 'from the start of the chain';
    if (invalid) {
      this.report(
        line,
        entry.seq,
        'bad-signature',
        `checkpoint signature invalid (${invalid}): the records it covers (${since}) or the checkpoint were rewritten`,
      );
    } else if (this.trusted && !this.trusted.has(entry.keyId)) {
      this.report(
        line,
        entry.seq,
        'bad-signature',
        `the checkpoint is signed by key ${entry.keyId}, which is not a trusted key (trusted: ${[...this.trusted].join(', ') || 'none'})`,
      );
    } else {
      this.validCheckpoints++;
      this.unproven = 0;
      this.lastCheckpoint = {
        line,
        seq: entry.seq,
        keyId: entry.keyId,
        count: entry.count,
        final: entry.final,
      };
      // The signed count is authoritative from here on: a problem before it is reported once, not
      // again at every later checkpoint.
      this.segmentCount = entry.count;
    }
    this.lastCheckpointLine = line;
    this.sinceCheckpoint = 0;
    this.problemSinceCheckpoint = false;
  }

  private emitMissing(r: MissingRange): void {
    this.report(
      r.line,
      r.from,
      'deleted',
      `${range(r.from, r.to)} missing before this line: records were deleted`,
    );
  }

  private flushMissing(): void {
    for (const r of this.missing) this.emitMissing(r);
    this.missing = [];
  }

  /** Ends the check: reports what is still pending and sorts the problems by line. */
  finish(requireClosed = false): void {
    this.flushMissing();
    if (this.lines === 0) this.report(1, undefined, 'truncated', 'the log is empty: even its header is gone');
    else if (requireClosed && !this.closed && this.lastEntry) {
      this.report(
        this.lines,
        this.lastEntry.seq,
        'truncated',
        'the log does not end with a valid closing checkpoint: its end was cut, or its writer never closed it',
      );
    }
    this.problems.sort((a, b) => a.line - b.line);
  }

  /** The log ends with a valid closing checkpoint: its writer stopped cleanly. */
  get closed(): boolean {
    const cp = this.lastCheckpoint;
    return Boolean(cp?.final && cp.line === this.lines && this.lastEntry?.type === 'checkpoint');
  }

  get lastSeq(): number | undefined {
    return this.lastEntry?.seq;
  }

  /** Where a writer would continue; undefined when the last line is not a sound entry. */
  tail(): ChainTail | undefined {
    const last = this.lastEntry;
    const prev = this.previous;
    if (!last || !prev || !this.lastEntryValid || prev.hash === undefined) return undefined;
    return {
      seq: last.seq,
      digest: prev.digest,
      hash: prev.hash,
      entry: last,
      count: this.segmentCount,
      sinceCheckpoint: this.sinceCheckpoint,
    };
  }
}
