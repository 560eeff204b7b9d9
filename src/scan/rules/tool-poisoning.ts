// tool-poisoning: a tool's description or schema (defaults, enums, examples, property descriptions)
// gives the model instructions beyond using the tool: to read files or secrets and hand them over,
// to keep something from the user, to ignore its instructions, or it wears role markers and threats.

import { analyzeTool } from '../../text/tool/analyze.js';
import { judgeInstructions } from '../../text/tool/judge.js';
import { reportJudgements } from '../poison/report.js';
import type { Rule } from './types.js';

export const toolPoisoning: Rule = {
  id: 'tool-poisoning',
  meta: {
    severity: 'high',
    description:
      "A tool's description or input schema gives the model instructions beyond using the tool: exfiltration, secrecy, overrides, role markers or threats.",
    docs: 'docs/rules/tool-poisoning.md',
    messages: {
      exfiltration:
        'Tool text in {{field}} tells the model to hand over {{what}}: a secret, a file or the conversation leaves through this tool.',
      secrecy:
        'Tool text in {{field}} tells the model to keep something from the user ("{{phrase}}", score {{score}}).',
      override:
        'Tool text in {{field}} tells the model to override its instructions ("{{phrase}}", score {{score}}).',
      roleMarker:
        'Tool text in {{field}} impersonates the system or the user with role markers ("{{phrase}}", score {{score}}).',
      coercion:
        'Tool text in {{field}} coerces the model with threats or urgency ("{{phrase}}", score {{score}}).',
      instruction:
        'Tool text in {{field}} gives the model instructions beyond using the tool ("{{phrase}}", score {{score}}).',
    },
  },
  check(ctx) {
    reportJudgements(ctx, judgeInstructions(analyzeTool(ctx.tool)));
  },
};
