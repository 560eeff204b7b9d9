// tool-shadowing: a tool that claims priority over every other tool, redefines how another tool must
// be used, or takes another server's tool name (exactly, by case, or with look-alike letters).

import { analyzeTool } from '../../text/tool/analyze.js';
import { judgeShadowing } from '../../text/tool/judge.js';
import { judgeName } from '../../text/tool/names.js';
import { reportJudgements } from '../poison/report.js';
import type { Rule } from './types.js';

export const toolShadowing: Rule = {
  id: 'tool-shadowing',
  meta: {
    severity: 'high',
    description:
      'A tool claims priority over other tools, redefines how another tool must be used, or imitates another tool’s name.',
    docs: 'docs/rules/tool-shadowing.md',
    messages: {
      priority: 'Tool text in {{field}} demands to run before every other tool ("{{phrase}}").',
      redefines: 'Tool text in {{field}} redefines how other tools or actions must behave ("{{phrase}}").',
      confusableName: 'Tool name "{{name}}" uses look-alike or invisible characters{{twin}}.',
      collision:
        'Tool name "{{name}}" is also registered by another server ({{other}}): the client may call the wrong one.',
      nearCollision:
        'Tool name "{{name}}" differs only by case or separators from {{other}} of another server.',
    },
  },
  check(ctx) {
    const all = ctx.all ?? ctx.neighbours;
    reportJudgements(ctx, [
      ...judgeShadowing(analyzeTool(ctx.tool), ctx.tool.name),
      ...judgeName(ctx.tool, all),
    ]);
  },
};
