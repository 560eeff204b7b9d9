// hidden-content: text in a tool the user does not see but the model reads — Unicode tag characters,
// zero-width and bidi characters, ANSI escapes, padding that pushes text off-screen, HTML comments —
// and encoded payloads (base64, hex, URL encoding) decoded and rescanned. Severity follows what is
// hidden: an instruction is critical, invisible formatting alone is low.

import { analyzeTool } from '../../text/tool/analyze.js';
import { judgeHidden } from '../../text/tool/judge.js';
import { reportJudgements } from '../poison/report.js';
import type { Rule } from './types.js';

export const hiddenContent: Rule = {
  id: 'hidden-content',
  meta: {
    severity: 'high',
    description:
      'Tool text hides content from the reader (invisible characters, tags, escapes, padding, comments) or encodes it; severity follows what is hidden.',
    docs: 'docs/rules/hidden-content.md',
    messages: {
      hiddenInstruction: 'Tool text in {{field}} hides instructions from the reader in {{what}}.',
      hiddenText: 'Tool text in {{field}} carries text the reader cannot see in {{what}}.',
      invisible: 'Tool text in {{field}} contains {{what}}.',
      encodedInstruction: 'Tool text in {{field}} carries {{encoding}}-encoded instructions: "{{decoded}}".',
      encodedText: 'Tool text in {{field}} carries {{encoding}}-encoded text: "{{decoded}}".',
    },
  },
  check(ctx) {
    reportJudgements(ctx, judgeHidden(analyzeTool(ctx.tool)));
  },
};
