// The one decision engine every transport and wrapper uses. It decides each call in a fixed order —
// explicit deny → argument constraints → pin status → rate limit → provenance → rule of two →
// explicit require-approval → allow — where the first deny wins, else the first require-approval.
// Any internal error denies (fail closed).

import { createHash } from 'node:crypto';
import { canonicalJson, toJsonValue } from '../audit/canonical.js';
import { checkTool, type Lockfile, loadLockfile } from '../pin/index.js';
import { scanText, type TextScan } from '../text/index.js';
import { inferLabels } from './labels.js';
import { type CompiledPolicy, defaultPolicy } from './policy/compile.js';
import { collectStrings } from './provenance.js';
import { digestResult, inspectToolResult } from './results.js';
import { Session } from './session.js';
import type {
  Action,
  ApprovalLookup,
  Guard,
  GuardSession,
  RegisteredTool,
  RegisterResult,
  ResultVerdict,
  SinkLabel,
  ToolCall,
  ToolLabels,
  ToolResult,
  Verdict,
} from './types.js';
import { vetToolDefinition } from './vet.js';

export interface GuardOptions {
  /** Compiled policy (loadPolicy / loadPolicyText); the built-in default policy when absent. */
  policy?: CompiledPolicy;
  /** Lockfile for pin checks; loaded from the policy's `pinned.lock` when absent. */
  lock?: Lockfile;
  /** Clock in milliseconds, for rate limits (injectable for tests). */
  now?: () => number;
  /** Approvals already granted; without it require-approval stays require-approval (see finalize). */
  approvals?: ApprovalLookup;
  /** The text scanner for results (default: the shared detectors' scanText). */
  scan?: (text: string) => TextScan;
}

interface ToolEntry {
  labels: ToolLabels;
  /** Set when the tool's definition does not match the lockfile. */
  pinProblem?: string;
  /** Set when the definition addresses the model (poisoning, shadowing, hidden instructions). */
  poisoned?: string;
  /** Set when the definition could not be read; every call is denied. */
  invalid?: string;
}

const MAX_SESSIONS = 10_000;
const MAX_RATE_KEYS = 100_000;
const MAX_ARG_DEPTH = 64;
const MAX_ARG_NODES = 100_000;
const STRICTNESS: Record<Action, number> = { allow: 0, 'require-approval': 1, deny: 2 };
const SINKS: readonly SinkLabel[] = ['external', 'destructive', 'execute'];

/** Turns require-approval into deny when the transport has no way to ask, with the same reason everywhere. */
export function finalize(verdict: Verdict, channelAvailable: boolean): Verdict {
  if (verdict.decision !== 'require-approval' || channelAvailable) return verdict;
  return {
    ...verdict,
    decision: 'deny',
    reason: `Approval required but no approval channel: ${verdict.reason}`,
  };
}

/** Stable hash of server, tool and canonical arguments: what an approval is bound to. */
export function approvalKeyOf(call: ToolCall): string {
  return createHash('sha256')
    .update(`${call.server}\u0000${call.tool}\u0000${canonicalJson(toJsonValue(call.arguments))}`)
    .digest('hex');
}

export function createGuard(options: GuardOptions = {}): Guard {
  const policy = options.policy ?? defaultPolicy();
  const lock = options.lock ?? (policy.pinned ? loadLockfile(policy.pinned.lock) : undefined);
  const onChange = policy.pinned?.onChange ?? 'deny';
  const now = options.now ?? Date.now;
  const scan = options.scan ?? ((text: string) => scanText(text));
  const tools = new Map<string, Map<string, ToolEntry>>();
  const sessions = new Map<string, Session>();
  const rateWindows = new Map<string, number[]>();

  function labelsFor(tool: RegisteredTool): ToolLabels {
    const inferred = inferLabels(tool);
    const explicit = policy.match(tool.server, tool.name).rule?.labels;
    return {
      source: explicit?.source ? [...explicit.source] : inferred.source,
      sink: explicit?.sink ? [...explicit.sink] : inferred.sink,
    };
  }

  function entryFor(server: string, tool: string): ToolEntry {
    const known = tools.get(server)?.get(tool);
    if (known) return known;
    // A tool that was never listed: labelled by name; with the server pinned it is not in the lock.
    const entry: ToolEntry = { labels: labelsFor({ server, name: tool }) };
    if (lock?.servers.has(server)) entry.pinProblem = `${server}/${tool} is not in the lockfile`;
    return entry;
  }

  function registerTools(server: string, list: RegisteredTool[]): RegisterResult {
    const entries = new Map<string, ToolEntry>();
    const blocked: RegisterResult['blocked'] = [];
    const pinnedServer = lock?.servers.has(server) ? lock : undefined;
    for (const tool of Array.isArray(list) ? list : []) {
      if (!tool || typeof tool !== 'object' || typeof tool.name !== 'string' || tool.name.length === 0) {
        blocked.push({
          tool: String((tool as { name?: unknown } | null)?.name ?? ''),
          reason: 'malformed tool definition (no name)',
        });
        continue;
      }
      const t = { ...tool, server };
      let entry: ToolEntry;
      try {
        entry = { labels: labelsFor(t) };
      } catch (e) {
        // A definition the guard cannot read is not callable (fail closed).
        const reason = `the definition of ${server}/${tool.name} could not be read (${errorText(e)})`;
        entries.set(tool.name, { labels: { source: [], sink: [] }, invalid: reason });
        blocked.push({ tool: tool.name, reason });
        continue;
      }
      if (pinnedServer) {
        const status = checkTool(pinnedServer, server, t);
        if (status !== 'pinned') {
          entry.pinProblem =
            status === 'changed'
              ? `the definition of ${server}/${tool.name} differs from the lockfile (re-approve it with \`portcullis pin\`)`
              : `${server}/${tool.name} is not in the lockfile (pin it with \`portcullis pin\`)`;
          if (onChange === 'deny') blocked.push({ tool: tool.name, reason: entry.pinProblem });
        }
      }
      if (policy.poisoned !== 'off') {
        let problem: { reason: string; detail: string } | undefined;
        try {
          problem = vetToolDefinition(t);
        } catch (e) {
          // A definition the detectors cannot judge is not served (fail closed).
          const reason = `the definition of ${server}/${tool.name} could not be checked (${errorText(e)})`;
          problem = { reason, detail: reason };
        }
        if (problem) {
          entry.poisoned = problem.reason;
          if (policy.poisoned === 'deny') {
            // One entry per tool: a changed pin that is also poisoned is withheld too.
            const pinned = blocked.find((b) => b.tool === tool.name);
            if (pinned)
              Object.assign(pinned, { reason: `${pinned.reason}; ${problem.detail}`, withhold: true });
            else blocked.push({ tool: tool.name, reason: problem.detail, withhold: true });
          }
        }
      }
      entries.set(tool.name, entry);
    }
    tools.set(server, entries);
    return { blocked };
  }

  function session(id: string): GuardSession {
    let s = sessions.get(id);
    if (!s) {
      if (sessions.size >= MAX_SESSIONS) {
        const oldest = sessions.keys().next().value;
        if (oldest !== undefined) sessions.delete(oldest);
      }
      s = new Session(id);
      sessions.set(id, s);
    }
    return s;
  }

  function ownSession(s: GuardSession): Session {
    if (!(s instanceof Session) || sessions.get(s.id) !== s)
      throw new Error('session was not created by this guard');
    return s;
  }

  function rateExceeded(key: string, max: number, windowMs: number, t: number): boolean {
    const stamps = rateWindows.get(key) ?? [];
    let i = 0;
    while (i < stamps.length && (stamps[i] as number) <= t - windowMs) i++;
    if (i > 0) stamps.splice(0, i);
    if (!rateWindows.has(key)) {
      if (rateWindows.size >= MAX_RATE_KEYS) rateWindows.clear();
      rateWindows.set(key, stamps);
    }
    return stamps.length >= max;
  }

  function decide(s: Session, call: ToolCall): Verdict {
    if (!call || typeof call.server !== 'string' || typeof call.tool !== 'string')
      throw new Error('malformed call');
    const args = call.arguments ?? {};
    if (typeof args !== 'object' || Array.isArray(args)) throw new Error('arguments must be an object');
    const name = `${call.server}/${call.tool}`;
    const entry = entryFor(call.server, call.tool);
    const sinks = entry.labels.sink;
    const labels = [...new Set<string>([...s.labels, ...sinks])].sort();
    const match = policy.match(call.server, call.tool);
    const rule = match.rule;

    // The action the configuration gives: an explicit rule wins; otherwise the stricter of the
    // server/policy default and the destructive-tool setting.
    let action: Action;
    let actionKey: string;
    if (rule?.action) {
      action = rule.action;
      actionKey = rule.key;
    } else {
      action = match.serverDefault?.action ?? policy.default;
      actionKey = match.serverDefault?.key ?? 'default';
      if (sinks.includes('destructive') && STRICTNESS[policy.destructive] > STRICTNESS[action]) {
        action = policy.destructive;
        actionKey = 'destructive';
      }
    }

    const verdict = (decision: Verdict['decision'], ruleName: string, reason: string): Verdict => ({
      decision,
      rule: ruleName,
      reason,
      labels,
    });
    if (action === 'deny') {
      return verdict('deny', actionKey, `The policy denies ${name} (${actionKey}).`);
    }

    if (entry.invalid) return verdict('deny', 'tool-definition', `Blocked ${name}: ${entry.invalid}.`);
    const shape = argumentShapeProblem(args);
    if (shape) return verdict('deny', 'arguments', `Refused ${name}: its arguments are ${shape}.`);

    let pending: Verdict | undefined; // the first require-approval, returned unless a later check denies
    const ask = (ruleName: string, reason: string) => {
      pending ??= verdict('require-approval', ruleName, reason);
    };

    if (rule) {
      for (const [arg, check] of rule.args) {
        const why = check(args[arg]);
        if (why) return verdict('deny', `${rule.key}.args.${arg}`, `Refused ${name}: ${why}.`);
      }
      if (rule.validate) {
        const why = rule.validate(args);
        if (why)
          return verdict(
            'deny',
            `${rule.key}.schema`,
            `Refused ${name}: its arguments do not match the policy schema (${why}).`,
          );
      }
    }

    if (entry.pinProblem) {
      if (onChange === 'deny') return verdict('deny', 'pinned', `Blocked ${name}: ${entry.pinProblem}.`);
      ask('pinned', `${name} changed since it was pinned: ${entry.pinProblem}.`);
    }

    if (entry.poisoned) {
      if (policy.poisoned === 'deny')
        return verdict('deny', 'poisoned', `Blocked ${name}: ${entry.poisoned}.`);
      ask('poisoned', `${name} has a suspicious definition: ${entry.poisoned}.`);
    }

    let rateKey: string | undefined;
    if (rule?.rateLimit) {
      rateKey = `${rule.key}\u0000${call.server}\u0000${call.tool}`;
      if (rateExceeded(rateKey, rule.rateLimit.max, rule.rateLimit.windowMs, now())) {
        return verdict(
          'deny',
          `${rule.key}.rateLimit`,
          `Refused ${name}: more than ${rule.rateLimit.max} calls in ${rule.rateLimit.windowMs / 1000}s; try again later.`,
        );
      }
    }

    const isSink = sinks.some((l) => SINKS.includes(l));
    if (isSink && policy.provenance !== 'off') {
      const hit = s.provenance.findTaint(args);
      if (hit) {
        const reason = `${name} would send ${hit.entity} (in argument "${hit.argument}"), a value that came from untrusted content earlier in this session, not from you.`;
        if (policy.provenance === 'deny') return verdict('deny', 'provenance', reason);
        ask('provenance', `${reason} Approve only if you intended this.`);
      }
    }

    if (isSink && policy.ruleOfTwo !== 'off' && s.labels.has('untrusted') && s.labels.has('private')) {
      const reason = `${name} is a ${sinks.join('/')} action after untrusted content (from ${s.labelOrigins.get('untrusted')}) and private data (from ${s.labelOrigins.get('private')}) entered this session (rule of two).`;
      if (policy.ruleOfTwo === 'deny') return verdict('deny', 'rule-of-two', reason);
      ask('rule-of-two', `${reason} Approve only if you asked for it.`);
    }

    if (action === 'require-approval') {
      ask(
        actionKey,
        actionKey === 'destructive'
          ? `${name} is a destructive tool; the policy requires approval.`
          : `The policy requires approval for ${name} (${actionKey}).`,
      );
    }

    let result: Verdict =
      pending ?? verdict('allow', rule?.key ?? actionKey, `${name} is allowed (${rule?.key ?? actionKey}).`);
    if (result.decision === 'require-approval') {
      const approvalKey = approvalKeyOf(call);
      result = { ...result, approvalKey };
      if (options.approvals?.isApproved(s.id, approvalKey)) {
        result = {
          ...result,
          decision: 'allow',
          rule: 'approved',
          reason: `${name} was approved (${pending?.rule}).`,
        };
      }
    }
    if (result.decision !== 'deny') {
      if (rateKey) rateWindows.get(rateKey)?.push(now());
      // Arguments sent before any untrusted content came from the user's side of the conversation.
      if (!s.provenance.hasUntrusted) {
        const strings: [string, string][] = [];
        collectStrings(args, '', 0, strings);
        for (const [, v] of strings) s.addTrustedInput(v);
      }
    }
    return result;
  }

  function decideCall(sessionArg: GuardSession, call: ToolCall): Verdict {
    let labels: string[] = [];
    try {
      const s = ownSession(sessionArg);
      labels = [...s.labels].sort();
      return decide(s, call);
    } catch (e) {
      return {
        decision: 'deny',
        rule: 'internal-error',
        reason: `The guard could not decide this call (${errorText(e)}), so it was refused.`,
        labels,
      };
    }
  }

  function inspectResult(sessionArg: GuardSession, call: ToolCall, result: ToolResult): ResultVerdict {
    let labels: string[] = [];
    try {
      const s = ownSession(sessionArg);
      labels = [...s.labels].sort();
      return inspectToolResult(
        { policy: policy.results, scan, labels: entryFor(call.server, call.tool).labels, session: s },
        call,
        result,
      );
    } catch (e) {
      const reason = `The guard could not inspect this result (${errorText(e)}), so it was withheld.`;
      let digest = '';
      try {
        digest = digestResult(result);
      } catch {
        // the result cannot even be serialised; the audit record says so by the empty digest
      }
      return {
        decision: 'deny',
        rule: 'internal-error',
        reason,
        flags: [],
        labels,
        digest,
        result: {
          content: [{ type: 'text', text: `[portcullis] ${reason}` }],
          isError: true,
          _meta: { portcullis: { decision: 'deny', flags: [], labels, rule: 'internal-error' } },
        },
      };
    }
  }

  return {
    registerTools,
    session,
    decideCall,
    inspectResult,
    labelsOf: (server, tool) => entryFor(server, tool).labels,
    credentialsFor: (server, tool) => policy.match(server, tool).rule?.credentials ?? [],
  };
}

/** Arguments no honest tool needs: nested deeper than MAX_ARG_DEPTH or with more than MAX_ARG_NODES values. */
function argumentShapeProblem(args: Record<string, unknown>): string | undefined {
  let nodes = 0;
  const stack: [unknown, number][] = [[args, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (++nodes > MAX_ARG_NODES) return `more than ${MAX_ARG_NODES} values`;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_ARG_DEPTH) return `nested deeper than ${MAX_ARG_DEPTH} levels`;
    if (Array.isArray(v)) for (const item of v) stack.push([item, depth + 1]);
    else for (const key of Object.keys(v)) stack.push([(v as Record<string, unknown>)[key], depth + 1]);
  }
  return undefined;
}

function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.length > 200 ? `${msg.slice(0, 197)}...` : msg;
}
