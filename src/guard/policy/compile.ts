// Compiles a validated policy into matchers once, at load (invalid configuration throws here, never
// at call time). Rule lookup for a tool: the server's own rules, then the `*` server's; within each,
// an exact tool name wins, then globs in file order. One rule applies to a call; rules do not merge.

import { dirname, resolve } from 'node:path';
import { hasWildcard, wildcardMatch } from '../glob.js';
import type { Action, SinkLabel, SourceLabel } from '../types.js';
import {
  type ArgCheck,
  type ConstraintContext,
  compileConstraint,
  defaultConstraintContext,
} from './constraints.js';
import { compileJsonSchema, type Validator } from './json-schema.js';
import {
  type ParsedPolicy,
  PolicyError,
  type PolicyProblem,
  parsePolicyText,
  readPolicyFile,
} from './load.js';
import type { CredentialSpec, PolicyFile, ToolRule } from './schema.js';

export type InjectionMode = 'flag' | 'fence' | 'quarantine' | 'block';

export interface ResultPolicy {
  injection: InjectionMode;
  secrets: 'redact' | 'block';
  hidden: 'strip' | 'block';
  maxBytes: number;
}

export interface CompiledRule {
  /** Dotted place in the policy, used as the verdict's rule: `servers.mail.tools.send_*`. */
  key: string;
  server: string;
  pattern: string;
  action?: Action;
  labels?: { source?: SourceLabel[]; sink?: SinkLabel[] };
  args: [string, ArgCheck][];
  validate?: Validator;
  rateLimit?: { max: number; windowMs: number };
  credentials: CredentialSpec[];
  line?: number;
  column?: number;
}

export interface RuleMatch {
  rule?: CompiledRule;
  /** The `default` of the server section that applies, when set. */
  serverDefault?: { action: Action; key: string };
}

export interface CompiledPolicy {
  /** The policy file, or `built-in` for the default policy. */
  origin: string;
  default: Action;
  destructive: Action;
  ruleOfTwo: 'require-approval' | 'deny' | 'off';
  provenance: 'require-approval' | 'deny' | 'off';
  poisoned: 'require-approval' | 'deny' | 'off';
  pinned?: { lock: string; onChange: 'deny' | 'require-approval' };
  results: ResultPolicy;
  rules: CompiledRule[];
  match(server: string, tool: string): RuleMatch;
  source: PolicyFile;
  /** Where rules and settings are in the file (absent for the built-in policy). */
  positions?: ParsedPolicy['positions'];
}

export const DEFAULT_MAX_RESULT_BYTES = 8 * 1024 * 1024;
const MATCH_CACHE_LIMIT = 4096;

export interface CompileOptions {
  /** Policy file path, for messages and to resolve `pinned.lock`. */
  file?: string;
  positions?: ParsedPolicy['positions'];
  context?: ConstraintContext;
}

export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const n = Number(m[1]);
  const unit = m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 3_600_000;
  return n * unit;
}

export function compilePolicy(policy: PolicyFile, options: CompileOptions = {}): CompiledPolicy {
  const ctx = options.context ?? defaultConstraintContext();
  const rules: CompiledRule[] = [];
  const problems: PolicyProblem[] = [];
  const serverDefaults = new Map<string, Action>();
  for (const [server, section] of Object.entries(policy.servers ?? {})) {
    if (section.default) serverDefaults.set(server, section.default);
    for (const [pattern, rule] of Object.entries(section.tools ?? {})) {
      const key = `servers.${server}.tools.${pattern}`;
      const pos = options.positions?.get(key);
      try {
        rules.push(compileRule(server, pattern, rule, key, ctx, pos));
      } catch (e) {
        problems.push({
          message: (e as Error).message,
          field: key,
          ...(pos ? { line: pos.line, column: pos.column } : {}),
        });
      }
    }
  }
  if (problems.length > 0) throw new PolicyError(options.file, problems);

  const byServer = new Map<string, { exact: Map<string, CompiledRule>; globs: CompiledRule[] }>();
  for (const r of rules) {
    let entry = byServer.get(r.server);
    if (!entry) {
      entry = { exact: new Map(), globs: [] };
      byServer.set(r.server, entry);
    }
    if (hasWildcard(r.pattern)) entry.globs.push(r);
    else entry.exact.set(r.pattern, r);
  }
  const find = (server: string, tool: string): CompiledRule | undefined => {
    const entry = byServer.get(server);
    if (!entry) return undefined;
    return entry.exact.get(tool) ?? entry.globs.find((g) => wildcardMatch(g.pattern, tool));
  };
  const cache = new Map<string, RuleMatch>();
  const match = (server: string, tool: string): RuleMatch => {
    const cacheKey = `${server}\u0000${tool}`;
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    const rule = find(server, tool) ?? find('*', tool);
    const own = serverDefaults.get(server);
    const any = serverDefaults.get('*');
    const result: RuleMatch = {
      ...(rule ? { rule } : {}),
      ...(own
        ? { serverDefault: { action: own, key: `servers.${server}.default` } }
        : any
          ? { serverDefault: { action: any, key: 'servers.*.default' } }
          : {}),
    };
    if (cache.size >= MATCH_CACHE_LIMIT) cache.clear();
    cache.set(cacheKey, result);
    return result;
  };

  const base = options.file ? dirname(resolve(options.file)) : ctx.cwd;
  return {
    origin: options.file ?? 'built-in',
    default: policy.default ?? 'allow',
    destructive: policy.destructive ?? 'require-approval',
    ruleOfTwo: policy.ruleOfTwo ?? 'require-approval',
    provenance: policy.provenance ?? 'require-approval',
    poisoned: policy.poisoned ?? 'deny',
    ...(policy.pinned
      ? { pinned: { lock: resolve(base, policy.pinned.lock), onChange: policy.pinned.onChange ?? 'deny' } }
      : {}),
    results: {
      injection: policy.results?.injection ?? 'fence',
      secrets: policy.results?.secrets ?? 'redact',
      hidden: policy.results?.hidden ?? 'strip',
      maxBytes: policy.results?.maxBytes ?? DEFAULT_MAX_RESULT_BYTES,
    },
    rules,
    match,
    source: policy,
    ...(options.positions ? { positions: options.positions } : {}),
  };
}

function compileRule(
  server: string,
  pattern: string,
  rule: ToolRule,
  key: string,
  ctx: ConstraintContext,
  pos: { line: number; column: number } | undefined,
): CompiledRule {
  const args: [string, ArgCheck][] = Object.entries(rule.args ?? {}).map(([arg, c]) => [
    arg,
    compileConstraint(arg, c, ctx),
  ]);
  let validate: Validator | undefined;
  if (rule.schema !== undefined) {
    try {
      validate = compileJsonSchema(rule.schema);
    } catch (e) {
      throw new Error(`schema: ${(e as Error).message}`);
    }
  }
  return {
    key,
    server,
    pattern,
    ...(rule.action ? { action: rule.action } : {}),
    ...(rule.labels ? { labels: rule.labels } : {}),
    args,
    ...(validate ? { validate } : {}),
    ...(rule.rateLimit
      ? { rateLimit: { max: rule.rateLimit.max, windowMs: parseDuration(rule.rateLimit.per) } }
      : {}),
    credentials: rule.credentials ?? [],
    ...(pos ? { line: pos.line, column: pos.column } : {}),
  };
}

/** The built-in policy used when no file is given: every setting at its default. */
export function defaultPolicy(context?: ConstraintContext): CompiledPolicy {
  return compilePolicy({ version: 1 }, context ? { context } : {});
}

/** Reads, validates and compiles a policy file; throws PolicyError with every problem located. */
export function loadPolicy(file: string, context?: ConstraintContext): CompiledPolicy {
  const parsed = readPolicyFile(file);
  return compilePolicy(parsed.policy, { file, positions: parsed.positions, ...(context ? { context } : {}) });
}

/** Same as loadPolicy for text already in memory. */
export function loadPolicyText(text: string, file?: string, context?: ConstraintContext): CompiledPolicy {
  const parsed = parsePolicyText(text, file);
  return compilePolicy(parsed.policy, {
    ...(file !== undefined ? { file } : {}),
    positions: parsed.positions,
    ...(context ? { context } : {}),
  });
}
