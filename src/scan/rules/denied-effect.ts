// An effect the description explicitly denies: network under "offline"/"local only", a command
// under "runs no commands", a file write under "does not store". General "read-only" / "dry run"
// / "no side effects" claims are mutation-under-readonly's, so one contradiction is one finding.

import type { Capability, Claim, Effect } from '../../core/types.js';
import type { ClaimCapability } from '../catalog/claims.js';
import {
  describeEffect,
  effectEvidence,
  inSourceOrder,
  isLocalNetwork,
  isScratchPath,
  positiveClaim,
  strongDenials,
} from './support.js';
import type { Rule } from './types.js';

/** Which claim capabilities deny which effect capability. */
const DENIED_BY: ReadonlyArray<[Capability, readonly ClaimCapability[]]> = [
  ['network', ['network']],
  ['process', ['process']],
  ['file.write', ['file.write', 'persist']],
  ['file.delete', ['file.delete']],
  ['file.read', ['file.read']],
  ['env', ['env']],
  ['secret', ['secret']],
  ['dynamic-code', ['dynamic-code']],
];

export const deniedEffect: Rule = {
  id: 'denied-effect',
  meta: {
    severity: 'high',
    description: 'The code does something the description explicitly says the tool does not do.',
    docs: 'docs/rules/denied-effect.md',
    messages: {
      denied: 'The description says "{{claim}}", but the code {{action}}: {{effect}}{{more}}.',
    },
  },
  check({ tool, report }) {
    for (const [cap, by] of DENIED_BY) {
      // No effect of this kind (a listed tool has none at all): nothing can contradict a denial, and
      // reading the claims for one costs more than this check.
      if (!tool.effects.some((e) => e.capability === cap)) continue;
      let claim: Claim | undefined;
      for (const c of by) {
        // A denial the text itself qualifies ("works offline; fetches updates") is no contradiction.
        if (positiveClaim(tool, [c])) continue;
        claim ??= strongDenials(tool, c)[0];
      }
      if (!claim) continue;
      // "Does not store" is about keeping data, not scratch files that vanish with the call.
      const c0 = claim;
      const persistOnly =
        c0.capability === 'persist' ||
        strongDenials(tool, 'persist').some((p) => p.source === c0.source && p.start === c0.start);
      const effects = inSourceOrder(tool.effects).filter(
        (e: Effect) => e.capability === cap && !isLocalNetwork(e) && !(persistOnly && isScratchPath(e)),
      );
      const first = effects[0];
      if (!first) continue;
      report({
        messageId: 'denied',
        data: {
          claim: claim.text,
          action: ACTIONS[cap],
          effect: describeEffect(first),
          more: effects.length > 1 ? ` (and ${effects.length - 1} more)` : '',
        },
        location: first.location,
        evidence: effectEvidence(first, claim, effects.map(describeEffect).slice(0, 5).join('; ')),
      });
    }
  },
};

const ACTIONS: Record<Capability, string> = {
  network: 'uses the network',
  process: 'runs a process',
  'file.write': 'writes files',
  'file.delete': 'deletes files',
  'file.read': 'reads files',
  env: 'reads the environment',
  secret: 'reads secrets',
  'dynamic-code': 'runs dynamic code',
};
