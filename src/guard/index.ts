// portcullis/guard: the decision engine every transport and wrapper uses, its policy and types.
export {
  type ApprovalGrant,
  type ApprovalGrants,
  type ApprovalScope,
  ApprovalStore,
  type ApprovalStoreOptions,
  DEFAULT_APPROVAL_TTL_MS,
} from './approvals.js';
export {
  type CredentialBrokerOptions,
  createCredentialBroker,
  REDACTED_SECRET,
  type ScopedCredentials,
} from './credentials.js';
export { approvalKeyOf, createGuard, finalize, type GuardOptions } from './engine.js';
export {
  type ApprovalAnswer,
  type ApprovalChannel,
  ApprovalDeferred,
  type ApprovalRequest,
  CallGate,
  type CredentialBroker,
  type ForwardFailure,
  type GateOptions,
} from './gate.js';
export { inferLabels, nameWords } from './labels.js';
export * from './policy/index.js';
export { extractEntities, normalizeForProvenance } from './provenance.js';
export { digestResult } from './results.js';
export type * from './types.js';
