// Findings on a server's `instructions` (a manifest's `server.instructions`, a live server's
// initialize result): the poisoning rules' judges applied to them, reported on the server — at the
// manifest's `instructions` line, with no tool id.

import type { Finding } from '../../core/types.js';
import { judgeServerInstructions } from '../../text/tool/instructions.js';
import { findingId, formatMessage, RULES } from '../rules/index.js';

/** 1-based line of the first `"instructions"` key in a manifest's text, else 1. */
export function instructionsLine(text: string): number {
  const i = text.search(/"instructions"\s*:/);
  if (i < 0) return 1;
  let line = 1;
  for (let k = 0; k < i; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

/**
 * The poisoning findings of a server's instructions, one per rule and message id (the strongest),
 * restricted to `rules` when given.
 */
export function serverInstructionFindings(
  instructions: string,
  file: string,
  line: number,
  rules?: readonly string[],
): Finding[] {
  const out = new Map<string, Finding>();
  for (const { rule: ruleId, judgement: j } of judgeServerInstructions(instructions, file, line)) {
    if (rules && !rules.includes(ruleId)) continue;
    const rule = RULES.find((r) => r.id === ruleId);
    if (!rule) continue;
    const id = findingId(ruleId, '', file, line, j.messageId);
    if (out.has(id)) continue;
    out.set(id, {
      id,
      rule: ruleId,
      severity: j.severity,
      file,
      line,
      message: formatMessage(rule, j.messageId, { ...j.data, field: j.field }),
      evidence: { location: { file, line }, claim: j.excerpt, detail: `${j.field}: ${j.excerpt}` },
    });
  }
  return [...out.values()];
}
