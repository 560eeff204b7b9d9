// Code the reader of the source cannot see: an API reached through string building or decoding,
// a decoded payload handed to eval/exec, deserialisation or eval of caller data, a module whose
// name is only known at run time. A tool that says it evaluates code and does so is honest but
// still risky; one that says nothing of it, or hides how it gets there, is not.

import type { Effect, Severity } from '../../core/types.js';
import { DESERIALIZERS, SUSPICIOUS_PAYLOAD } from './data.js';
import {
  describeEffect,
  effectEvidence,
  flowsInto,
  inSourceOrder,
  isTimerCallback,
  positiveClaim,
  truncate,
} from './support.js';
import type { Rule, RuleContext } from './types.js';

export const hiddenDynamicCode: Rule = {
  id: 'hidden-dynamic-code',
  meta: {
    severity: 'high',
    description:
      'Obfuscated API resolution, decoded payloads, or dynamic code / deserialisation fed by tool input.',
    docs: 'docs/rules/hidden-dynamic-code.md',
    messages: {
      obfuscated:
        '{{api}} is reached through string building or decoding ({{capability}}), hiding what the tool does.',
      payload: '{{api}} runs a constant payload that itself calls out: "{{payload}}".',
      decodedPayload: '{{api}} runs code decoded from a constant, hidden from the reader: "{{payload}}".',
      evalOfInput: '{{api}} runs code built from parameter {{params}}{{claimed}}.',
      deserialization: '{{api}} deserialises parameter {{params}}, which can run code on hostile input.',
      unresolvedImport: '{{api}} loads a module whose name is only known at run time{{fromParam}}.',
      unresolvedName: '{{api}} looks up an attribute whose name is only known at run time{{fromParam}}.',
      dynamicCode: '{{api}} runs dynamic code that the description does not mention.',
    },
  },
  check(ctx) {
    for (const e of inSourceOrder(ctx.tool.effects)) {
      // A name that was built or decoded is hiding; a name that is simply unknown
      // (`getattr(module, name)`) is dynamic dispatch, judged below by where the name comes from.
      if (e.obfuscated && !e.unresolved && e.capability === 'dynamic-code' && e.target) {
        // The code run was decoded from a constant: whatever it says, the source hides it.
        ctx.report({
          messageId: 'decodedPayload',
          data: { api: e.api, payload: truncate(e.target, 80) },
          location: e.location,
          evidence: effectEvidence(e, undefined, describeEffect(e)),
        });
        continue;
      }
      if (e.obfuscated && !e.unresolved) {
        ctx.report({
          messageId: 'obfuscated',
          data: { api: e.api, capability: e.capability },
          location: e.location,
          evidence: effectEvidence(e, undefined, describeEffect(e)),
        });
        continue;
      }
      if (e.capability === 'dynamic-code' || e.unresolved) checkDynamic(ctx, e);
    }
  },
};

function checkDynamic({ tool, report }: RuleContext, e: Effect): void {
  const paramFlows = flowsInto(tool, e).filter((f) => f.source.kind === 'param');
  const params = [
    ...new Set(paramFlows.map((f) => (f.source.kind === 'param' ? `"${f.source.name}"` : ''))),
  ].join(', ');
  const dataPath = paramFlows[0]?.path;
  const evidence = { ...effectEvidence(e, undefined, describeEffect(e)), ...(dataPath ? { dataPath } : {}) };
  const affirmed = tool.claims.find((c) => c.polarity === 'affirms' && c.capability === 'dynamic-code');
  const implied = positiveClaim(tool, ['dynamic-code']);

  if (e.unresolved) {
    report({
      messageId: /getattr|\[\]$|reflect/i.test(e.api) ? 'unresolvedName' : 'unresolvedImport',
      severity: paramFlows.length ? 'medium' : 'low',
      data: { api: e.api, fromParam: paramFlows.length ? `, chosen by parameter ${params}` : '' },
      location: e.location,
      evidence,
    });
    return;
  }
  if (DESERIALIZERS.test(e.api)) {
    if (!paramFlows.length) return;
    report({
      messageId: 'deserialization',
      severity: affirmed ? 'medium' : 'high',
      data: { api: e.api, params },
      location: e.location,
      evidence,
    });
    return;
  }
  if (paramFlows.length) {
    // Saying "executes Python code" and doing it is honest; "calculates" with a bare eval is an
    // injection hole; saying nothing is hidden execution.
    const severity: Severity = affirmed ? 'low' : implied ? 'medium' : 'high';
    const claim = affirmed ?? implied;
    report({
      messageId: 'evalOfInput',
      severity,
      data: { api: e.api, params, claimed: claim ? ` (the description says "${claim.text}")` : '' },
      location: e.location,
      evidence: claim ? { ...evidence, claim: claim.text } : evidence,
    });
    return;
  }
  if (e.target && SUSPICIOUS_PAYLOAD.test(e.target)) {
    report({
      messageId: 'payload',
      data: { api: e.api, payload: truncate(e.target, 80) },
      location: e.location,
      evidence,
    });
    return;
  }
  // Timers take functions far more often than strings; only the string form is dynamic code.
  if (!affirmed && !implied && !e.target && !isTimerCallback(e)) {
    report({
      messageId: 'dynamicCode',
      severity: 'low',
      data: { api: e.api },
      location: e.location,
      evidence,
    });
  }
}
