// An effect neither claimed nor implied by the tool's name, description or parameters. Never
// high on its own: plenty of honest tools under-describe. It is the inventory a reviewer reads,
// and the raw material other rules combine. One finding per tool and capability.

import type { Capability, Effect, Severity } from '../../core/types.js';
import type { ClaimCapability } from '../catalog/claims.js';
import {
  describeEffect,
  effectEvidence,
  inSourceOrder,
  isLocalNetwork,
  positiveClaim,
  strongDenials,
} from './support.js';
import type { Rule } from './types.js';

/** Claims that account for an effect: what the tool says it does covers what that requires. */
const COVERED_BY: ReadonlyArray<[Capability, Severity, readonly ClaimCapability[]]> = [
  ['network', 'low', ['network']],
  ['process', 'low', ['process']],
  ['file.write', 'low', ['file.write', 'persist', 'mutation']],
  ['file.delete', 'low', ['file.delete', 'mutation']],
  ['secret', 'low', ['secret', 'network', 'env']],
  ['file.read', 'info', ['file.read', 'file.write', 'file.delete', 'persist', 'mutation']],
  ['env', 'info', ['env', 'secret', 'network', 'process']],
];

/** Denials the contradiction rules already report for this capability. */
const DENIED_ELSEWHERE: Record<string, readonly ClaimCapability[]> = {
  network: ['network'],
  process: ['process'],
  'file.write': ['file.write', 'persist', 'mutation'],
  'file.delete': ['file.delete', 'mutation'],
};

const NAMES: Record<string, string> = {
  network: 'uses the network',
  process: 'runs processes',
  'file.write': 'writes files',
  'file.delete': 'deletes files',
  secret: 'reads secrets',
  'file.read': 'reads files',
  env: 'reads environment variables',
};

export const undeclaredEffect: Rule = {
  id: 'undeclared-effect',
  meta: {
    severity: 'low',
    description: 'The code has an effect that the name, description and parameters neither claim nor imply.',
    docs: 'docs/rules/undeclared-effect.md',
    messages: {
      undeclared: 'The tool {{action}} ({{effect}}{{more}}), which its description does not mention.',
    },
  },
  check({ tool, report }) {
    for (const [cap, severity, coveredBy] of COVERED_BY) {
      const effects = inSourceOrder(tool.effects).filter(
        (e: Effect) => e.capability === cap && !e.obfuscated,
      );
      const first = effects[0];
      // Talking only to this machine (a local model, a local browser) is worth knowing, not worrying.
      const localOnly = cap === 'network' && effects.every(isLocalNetwork);
      if (!first || positiveClaim(tool, coveredBy)) continue;
      if ((DENIED_ELSEWHERE[cap] ?? []).some((c) => strongDenials(tool, c).length)) continue;
      report({
        messageId: 'undeclared',
        severity: localOnly ? 'info' : severity,
        data: {
          action: NAMES[cap] ?? cap,
          effect: describeEffect(first),
          more: effects.length > 1 ? ` and ${effects.length - 1} more` : '',
        },
        location: first.location,
        evidence: effectEvidence(first, undefined, effects.map(describeEffect).slice(0, 5).join('; ')),
      });
    }
  },
};
