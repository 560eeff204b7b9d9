// A sensitive effect that only happens under a condition on time, a counter, randomness or
// the environment: the shape of time bombs and rug pulls (behave for the review, change later).
// Environment switches are also how honest tools are configured, so an env gate on an effect
// the tool claims is not reported, and an env gate alone is low.

import type { Capability, Effect, Severity, ToolDefinition } from '../../core/types.js';
import { assessSecretFlow } from './secret-exfiltration.js';
import {
  describeEffect,
  effectEvidence,
  flowsInto,
  inSourceOrder,
  isTimerCallback,
  positiveClaim,
  truncate,
} from './support.js';
import type { Rule } from './types.js';
import { egressSeverity } from './undisclosed-data-egress.js';

// Reading a secret harms nothing by itself; sending it does, and that is the network effect's gate.
const SENSITIVE: readonly Capability[] = ['network', 'process', 'file.write', 'file.delete', 'dynamic-code'];

type GateKind = 'time' | 'random' | 'counter' | 'host' | 'trigger' | 'other';

/**
 * Kinds of condition, most suspicious first. The flow engine phrases gates as "condition on
 * time", "randomness", "host environment", "a counter kept across calls", "a parameter equal to
 * …", "an environment variable equal to …"; source-like texts (`datetime.now() > …`) also match.
 */
const GATE_PATTERNS: ReadonlyArray<[GateKind, RegExp]> = [
  ['counter', /counter|\bcount\b|call_count|calls\b|invocation|\+\+|\+= ?1/i],
  ['random', /random|randint|urandom/i],
  [
    'time',
    /\btime\b|\bdate\b|datetime|\bnow\b|today|utcnow|\bhour|weekday|\bclock|timestamp|gethours|getday|getfullyear|gettime/i,
  ],
  ['host', /host environment|platform|hostname|getuser|\buname\b/i],
  ['trigger', /equal to|environ|process\.env|getenv|\bci\b/i],
];

export function gateKind(gate: string): GateKind {
  for (const [kind, re] of GATE_PATTERNS) if (re.test(gate)) return kind;
  return 'other';
}

/** Time bombs, rug pulls, lotteries: conditions honest tools rarely put in front of a sensitive effect. */
const SUSPICIOUS_KINDS: ReadonlySet<GateKind> = new Set(['time', 'random', 'counter']);

/** The gated effect also carries a secret or hides its API: the combination is the attack. */
function combined(
  tool: ToolDefinition,
  neighbours: readonly ToolDefinition[],
  e: Effect,
): string | undefined {
  if (e.obfuscated) return 'and its API is obfuscated';
  const flows = flowsInto(tool, e);
  if (flows.some((f) => assessSecretFlow(tool, f, neighbours))) return 'and it sends a secret';
  if (flows.some((f) => egressSeverity(tool, neighbours, f) === 'high')) {
    return 'and it sends parameter data to an undisclosed destination';
  }
  return undefined;
}

const CLAIM_FOR: Partial<
  Record<Capability, 'network' | 'process' | 'file.write' | 'file.delete' | 'secret' | 'dynamic-code'>
> = {
  network: 'network',
  process: 'process',
  'file.write': 'file.write',
  'file.delete': 'file.delete',
  secret: 'secret',
  'dynamic-code': 'dynamic-code',
};

export const gatedBehavior: Rule = {
  id: 'gated-behavior',
  meta: {
    severity: 'medium',
    description: 'A sensitive effect runs only under a time, counter, random or environment condition.',
    docs: 'docs/rules/gated-behavior.md',
    messages: {
      gated: '{{effect}} runs only under a {{kind}} condition ({{gate}}){{combined}}.',
    },
  },
  check({ tool, neighbours, report }) {
    const seen = new Set<string>();
    for (const e of inSourceOrder(tool.effects)) {
      if (!e.gate || !SENSITIVE.includes(e.capability) || isTimerCallback(e)) continue;
      const kind = gateKind(e.gate);
      const extra = combined(tool, neighbours, e);
      const claim = CLAIM_FOR[e.capability];
      const claimed = claim ? positiveClaim(tool, [claim]) !== undefined : false;
      // Combined with exfiltration or obfuscation: high. A clock, counter or coin flip in front
      // of an effect the tool does not claim: medium; in front of one it claims (cache expiry,
      // retries): low. Platform checks, configuration switches and dispatch on a parameter value
      // are how honest tools choose what to do: low when the effect is unclaimed, else nothing.
      let severity: Severity;
      if (extra) severity = 'high';
      else if (SUSPICIOUS_KINDS.has(kind)) severity = claimed ? 'low' : 'medium';
      else if (claimed) continue;
      else severity = 'low';
      const key = `${e.gate}\0${e.capability}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report({
        messageId: 'gated',
        severity,
        data: {
          effect: describeEffect(e),
          gate: truncate(e.gate, 80),
          kind,
          combined: extra ? `, ${extra}` : '',
        },
        location: e.location,
        evidence: effectEvidence(e, undefined, `gate: ${e.gate}`),
      });
    }
  },
};
