// A server's `instructions` (the MCP initialize result) reach the model like a tool description, so
// they are judged by the same rules: instructions to hand data over, secrecy, overrides, claims over
// other tools, hidden or encoded content, data-carrying links. Used by the scanner (findings on the
// server) and by the proxy, which withholds poisoned instructions from the client.

import type { ToolDefinition } from '../../core/types.js';
import { analyzeTool } from './analyze.js';
import { bySeverity, type Judgement, judgeHidden, judgeInstructions, judgeShadowing } from './judge.js';
import { judgeLinks } from './params.js';

/** The field name judgements of server instructions carry. */
export const INSTRUCTIONS_FIELD = 'server.instructions';

export interface InstructionJudgement {
  /** The scanner rule whose judge made it. */
  rule: 'tool-poisoning' | 'tool-shadowing' | 'hidden-content' | 'exfiltration-link';
  judgement: Judgement;
}

/** Instructions as a definition the judges read: the text is the description, there is no schema. */
function asDefinition(text: string, file: string, line: number): ToolDefinition {
  return {
    id: `${file}#${INSTRUCTIONS_FIELD}`,
    // Not a tool name: the shadowing judge compares identifiers in the text with it.
    name: INSTRUCTIONS_FIELD,
    file,
    line,
    language: 'manifest',
    framework: 'manifest',
    description: text,
    descriptionResolved: true,
    parameters: [],
    effects: [],
    flows: [],
    claims: [],
  };
}

/** Every judgement of a server's instructions, strongest first. */
export function judgeServerInstructions(text: string, file = 'server', line = 0): InstructionJudgement[] {
  if (!text.trim()) return [];
  const a = analyzeTool(asDefinition(text, file, line));
  const field = (j: Judgement): Judgement => ({ ...j, field: INSTRUCTIONS_FIELD });
  const out: InstructionJudgement[] = [
    ...judgeInstructions(a).map((j) => ({ rule: 'tool-poisoning' as const, judgement: field(j) })),
    ...judgeShadowing(a, INSTRUCTIONS_FIELD).map((j) => ({
      rule: 'tool-shadowing' as const,
      judgement: field(j),
    })),
    ...judgeHidden(a).map((j) => ({ rule: 'hidden-content' as const, judgement: field(j) })),
    ...judgeLinks(a).map((j) => ({ rule: 'exfiltration-link' as const, judgement: field(j) })),
  ];
  return out.sort((x, y) => bySeverity(x.judgement, y.judgement));
}

/** The strongest high or critical judgement of the instructions, or undefined when they may be shown. */
export function poisonedInstructions(text: string): InstructionJudgement | undefined {
  const top = judgeServerInstructions(text)[0];
  return top && (top.judgement.severity === 'critical' || top.judgement.severity === 'high')
    ? top
    : undefined;
}
