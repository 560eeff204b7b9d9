// Turns judgements into rule reports: one finding per message id (its strongest judgement), located
// at the tool, with the field and the excerpt (hidden characters made visible) in the evidence.

import { bySeverity, type Judgement } from '../../text/tool/judge.js';
import type { RuleContext } from '../rules/types.js';

export function reportJudgements(ctx: RuleContext, judgements: readonly Judgement[]): void {
  const seen = new Map<string, Judgement[]>();
  for (const j of [...judgements].sort(bySeverity)) {
    const l = seen.get(j.messageId);
    if (l) l.push(j);
    else seen.set(j.messageId, [j]);
  }
  const { tool } = ctx;
  for (const [messageId, list] of seen) {
    const first = list[0]!;
    const places = list.slice(0, 5).map((j) => `${j.field}: ${j.excerpt}`);
    if (list.length > 5) places.push(`… and ${list.length - 5} more`);
    ctx.report({
      messageId,
      severity: first.severity,
      data: { ...first.data, field: first.field },
      location: { file: tool.file, line: tool.line },
      evidence: {
        location: { file: tool.file, line: tool.line },
        claim: first.excerpt,
        detail: places.join('\n'),
      },
    });
  }
}
