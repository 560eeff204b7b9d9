// A tool that says it is read-only, a dry run, or free of side effects, whose code writes or
// deletes files, runs a mutating command, or makes a network write (POST/PUT/DELETE, mail,
// a mutating SQL statement). Denials of one specific capability ("does not write files") are
// denied-effect's, so each contradiction is reported once.

import type { Effect } from '../../core/types.js';
import {
  describeEffect,
  effectEvidence,
  inSourceOrder,
  isMutatingCommand,
  isNetworkWrite,
  isScratchPath,
  networkWriteKind,
  positiveClaim,
  strongDenials,
} from './support.js';
import type { Rule } from './types.js';

type MutationKind = 'file.write' | 'file.delete' | 'process' | 'network';

const KIND_TEXT: Record<MutationKind, string> = {
  'file.write': 'writes files',
  'file.delete': 'deletes files',
  process: 'runs a mutating command',
  network: 'makes a network write',
};

function mutationKind(e: Effect): MutationKind | undefined {
  switch (e.capability) {
    case 'file.write':
    case 'file.delete':
      return isScratchPath(e) ? undefined : e.capability;
    case 'process':
      return isMutatingCommand(e) === true ? 'process' : undefined;
    case 'network':
      return isNetworkWrite(e) ? 'network' : undefined;
    default:
      return undefined;
  }
}

export const mutationUnderReadonly: Rule = {
  id: 'mutation-under-readonly',
  meta: {
    severity: 'high',
    description: 'The description claims read-only, dry-run or no side effects, but the code mutates state.',
    docs: 'docs/rules/mutation-under-readonly.md',
    messages: {
      mutation: 'The description says "{{claim}}", but the code {{action}}: {{effect}}{{more}}.',
    },
  },
  check({ tool, report }) {
    const claim = strongDenials(tool, 'mutation')[0];
    // "Read-only unless --write is given" or "read-only preview; then writes": a qualified claim.
    if (!claim || positiveClaim(tool, ['mutation'])) return;
    const byKind = new Map<MutationKind, Effect[]>();
    for (const e of inSourceOrder(tool.effects)) {
      const kind = mutationKind(e);
      if (!kind) continue;
      // "Does not write files" + a write is denied-effect's finding, not a second one here.
      if ((kind === 'file.write' || kind === 'file.delete') && strongDenials(tool, kind).length) continue;
      const list = byKind.get(kind) ?? [];
      list.push(e);
      byKind.set(kind, list);
    }
    for (const [kind, effects] of byKind) {
      // A bare POST under "read-only" is often a query (search, GraphQL, SQL over HTTP): low.
      const strong = kind !== 'network' || effects.some((e) => networkWriteKind(e) === 'strong');
      const first =
        (kind === 'network' && effects.find((e) => networkWriteKind(e) === 'strong')) || effects[0]!;
      report({
        messageId: 'mutation',
        severity: strong ? 'high' : 'low',
        data: {
          claim: claim.text,
          action: KIND_TEXT[kind],
          effect: describeEffect(first),
          more: effects.length > 1 ? ` (and ${effects.length - 1} more)` : '',
        },
        location: first.location,
        evidence: effectEvidence(first, claim, effects.map(describeEffect).slice(0, 5).join('; ')),
      });
    }
  },
};
