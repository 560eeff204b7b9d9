// Turning what the guard hands over into the fields of a decision record: every string checked
// and capped, arguments and meta masked, canonicalised and bounded, so a record always fits a line.

import { randomUUID } from 'node:crypto';
import { type JsonValue, toJsonValue, wellFormed } from './canonical.js';
import type { AuditDecision, DecisionEntry } from './format.js';
import { boundArgs, type MaskHook, maskArgs, maskJson } from './mask.js';

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

/** A decision record's own fields; the writer adds type, seq, time and prev. */
export type DecisionFields = Omit<DecisionEntry, 'type' | 'seq' | 'time' | 'prev'>;

export interface RecordContext {
  sessionId: string;
  mask: MaskHook | undefined;
  maxArgsBytes: number;
}

/** Text fields longer than this are cut (with a note of how much): a reason is not an archive. */
export const MAX_FIELD_CHARS = 4096;
const MAX_LABELS = 64;

export function capString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new TypeError(`${field}: expected a string, got ${typeof value}`);
  const s = wellFormed(value);
  return s.length <= MAX_FIELD_CHARS
    ? s
    : `${s.slice(0, MAX_FIELD_CHARS)}…[+${s.length - MAX_FIELD_CHARS} chars]`;
}

/** Throws TypeError naming the field when the input is not a valid record. */
export function buildDecisionFields(input: AuditRecordInput, context: RecordContext): DecisionFields {
  if (typeof input !== 'object' || input === null) throw new TypeError('expected a record object');
  const labels = input.labels ?? [];
  if (!Array.isArray(labels)) throw new TypeError('labels: expected a list of strings');
  const fields: DecisionFields = {
    id: capString(input.id ?? randomUUID(), 'id'),
    session: capString(input.session ?? context.sessionId, 'session'),
    server: capString(input.server, 'server'),
    tool: capString(input.tool, 'tool'),
    method: capString(input.method, 'method'),
    args: boundArgs(maskArgs(input.args ?? null, context.mask), context.maxArgsBytes),
    labels: labels.slice(0, MAX_LABELS).map((label, i) => capString(label, `labels[${i}]`)),
    rule: capString(input.rule ?? '', 'rule'),
    decision: capString(input.decision, 'decision'),
    reason: capString(input.reason, 'reason'),
  };
  if (input.resultDigest !== undefined) fields.resultDigest = capString(input.resultDigest, 'resultDigest');
  if (input.meta !== undefined) {
    const meta = boundArgs(maskJson(toJsonValue(input.meta)), context.maxArgsBytes);
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
      throw new TypeError('meta: expected an object');
    fields.meta = meta as { [key: string]: JsonValue };
  }
  return fields;
}
