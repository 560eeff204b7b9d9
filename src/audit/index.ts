// portcullis/audit: the hash-chained, append-only decision log, its signed checkpoints, verify and show.
export { CIRCULAR_MARKER, canonicalJson, DEPTH_MARKER, type JsonValue, toJsonValue } from './canonical.js';
export type { AuditProblem, AuditProblemKind, CheckpointInfo } from './checker.js';
export { AuditError, type AuditErrorKind } from './errors.js';
export {
  AUDIT_FORMAT_VERSION,
  type AuditDecision,
  type AuditEntry,
  auditKeyId,
  type BrokenState,
  CHECKPOINT_DOMAIN,
  type CheckpointEntry,
  type DecisionEntry,
  GENESIS,
  MAX_LINE_BYTES,
  type SegmentEntry,
} from './format.js';
export { lockFileFor } from './lock.js';
export { isSecretKey, looksLikeSecret, MASKED, type MaskHook, maskArgs } from './mask.js';
export type { DecisionFields } from './record.js';
export {
  inert,
  PLAIN_STYLE,
  readAuditEntries,
  renderEntryText,
  type ShowFilter,
  type ShowItem,
  type TextStyle,
} from './show.js';
export { type AuditVerifyOptions, type AuditVerifyResult, verifyAuditLog } from './verify.js';
export {
  type AuditFile,
  AuditLog,
  type AuditLogOptions,
  type AuditRecord,
  type AuditRecordInput,
  DEFAULT_CHECKPOINT_EVERY,
} from './writer.js';
