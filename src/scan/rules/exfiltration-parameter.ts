// exfiltration-parameter: a free-text parameter whose name or description asks for the conversation,
// the system prompt, file contents or keys, which the tool's purpose does not need (a `sidenote` on
// an `add` tool).

import { judgeParameters } from '../../text/tool/params.js';
import { reportJudgements } from '../poison/report.js';
import type { Rule } from './types.js';

export const exfiltrationParameter: Rule = {
  id: 'exfiltration-parameter',
  meta: {
    severity: 'medium',
    description:
      "A free-text parameter asks for context the tool's purpose does not need: the conversation, the system prompt, files or keys.",
    docs: 'docs/rules/exfiltration-parameter.md',
    messages: {
      parameter: 'Parameter `{{name}}` looks like a channel out: {{why}}.',
    },
  },
  check(ctx) {
    reportJudgements(ctx, judgeParameters(ctx.tool));
  },
};
