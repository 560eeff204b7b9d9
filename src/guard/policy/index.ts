// The policy: file format (schema), loading with located errors, and compilation to matchers.
export {
  type CompiledPolicy,
  type CompiledRule,
  type CompileOptions,
  compilePolicy,
  DEFAULT_MAX_RESULT_BYTES,
  defaultPolicy,
  type InjectionMode,
  loadPolicy,
  loadPolicyText,
  parseDuration,
  type ResultPolicy,
  type RuleMatch,
} from './compile.js';
export {
  type ArgCheck,
  type ConstraintContext,
  canonicalHost,
  canonicalPath,
  defaultConstraintContext,
  emailAddresses,
} from './constraints.js';
export { compileJsonSchema, type Validator } from './json-schema.js';
export {
  type LintFinding,
  type LintResult,
  type LintSeverity,
  lintPolicy,
  lintPolicyFile,
  type ServerTools,
} from './lint.js';
export {
  MAX_ALIAS_COUNT,
  type ParsedPolicy,
  PolicyError,
  type PolicyProblem,
  parsePolicyText,
  readPolicyFile,
} from './load.js';
export { unsafePatternReason } from './regex.js';
export {
  type ArgConstraint,
  type CredentialSpec,
  type PolicyFile,
  policyJsonSchema,
  policySchema,
  type ToolRule,
} from './schema.js';
