// portcullis/pin: canonical fingerprints of tool definitions, the lockfile, Ed25519 signatures.

export {
  decodeJsonBytes,
  formatJsonPath,
  type JsonPath,
  type JsonPosition,
  type ParsedJson,
  parseJsonText,
} from '../core/json-text.js';
export { CanonicalizationError, canonicalBytes, canonicalize, serializeNumber } from './canonical.js';
export {
  type DiffLine,
  diffJson,
  diffLines,
  diffLock,
  diffServer,
  type FieldChange,
  type InstructionsChange,
  type JsonChange,
  type LockDiff,
  type ServerDiff,
  type ToolChange,
  type ToolRef,
} from './diff.js';
export {
  canonicalDefinition,
  FINGERPRINT_PATTERN,
  fingerprintDefinition,
  fingerprintInstructions,
  fingerprintTool,
  PINNED_FIELDS,
  type PinnedDefinition,
  type PinnedField,
  pinnedDefinition,
} from './fingerprint.js';
export {
  checkInstructions,
  checkTool,
  emptyLockfile,
  LOCKFILE_NAME,
  LOCKFILE_VERSION,
  type LockedInstructions,
  type LockedServer,
  type LockedTool,
  type Lockfile,
  loadLockfile,
  lockServer,
  type PinStatus,
  parseLockfile,
  parseLockfileBytes,
  readLockfileBytes,
  serializeLockfile,
  writeLockfile,
} from './lockfile.js';
export { renderVerifyText, visible } from './report.js';
export {
  type GeneratedKeys,
  generateKeys,
  keyIdOf,
  loadPrivateKey,
  loadPublicKey,
  PRIVATE_KEY_NAME,
  PUBLIC_KEY_NAME,
  parseSignature,
  type SignatureCheck,
  type SignatureFile,
  type SignatureStatus,
  signatureFileFor,
  signBytes,
  signFile,
  verifyBytes,
  verifyFileBytes,
} from './sign.js';
export type { PinnableTool, ToolSnapshot, ToolSource } from './source.js';
export {
  loadSnapshots,
  type PinResult,
  pinSnapshots,
  type VerifyReport,
  verifySnapshots,
} from './workflow.js';
