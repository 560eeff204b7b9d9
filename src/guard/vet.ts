// Judges a listed tool's definition with the scanner's poisoning rules (src/text/tool): a tool whose
// description or schema addresses the model — exfiltration requests, overrides, secrecy, shadowing
// of other tools, hidden instructions, parameters that ask for the conversation or keys, data-carrying
// links — is a prompt injection the model reads on every turn, so the guard refuses to serve it.

import type { Severity, ToolDefinition } from '../core/types.js';
import { analyzeTool } from '../text/tool/analyze.js';
import {
  bySeverity,
  type Judgement,
  judgeHidden,
  judgeInstructions,
  judgeShadowing,
} from '../text/tool/judge.js';
import { listedToolDefinition } from '../text/tool/listed.js';
import { judgeLinks, judgeParameters } from '../text/tool/params.js';
import type { GuardedTool } from './types.js';

export interface DefinitionProblem {
  severity: Severity;
  /** One sentence without the offending text, safe to show the model. */
  reason: string;
  /** The reason with where and what (an excerpt of the offending text), for people and the log. */
  detail: string;
  judgements: Judgement[];
}

const BLOCKING: ReadonlySet<Severity> = new Set(['critical', 'high']);

const WHAT: Record<string, string> = {
  exfiltration: 'asks the model to hand over files, secrets or the conversation',
  secrecy: 'asks the model to keep something from the user',
  override: 'tries to override the model’s instructions',
  roleMarker: 'impersonates the system or the user',
  coercion: 'pressures the model with instructions',
  instruction: 'gives the model instructions beyond using the tool',
  priority: 'claims priority over other tools',
  redefines: 'redefines how other tools must be used',
  hiddenInstruction: 'hides instructions in invisible text',
  hiddenText: 'carries hidden text',
  invisible: 'carries invisible characters',
  encodedInstruction: 'hides encoded instructions',
  encodedText: 'carries an encoded payload',
  parameter: 'has a parameter that asks for context, files or keys',
  image: 'embeds an image link that carries data out',
  link: 'embeds a link that carries data out',
};

/**
 * A definition judged elsewhere (a listed prompt, resource or template, see vet-listings.ts) and
 * registered with the engine as a pseudo tool: the engine's own vetting returns that judgement. A
 * symbol key, so no definition from the wire (JSON) can carry it.
 */
export const PREJUDGED = Symbol('portcullis.prejudged');

/** The strongest high or critical judgement of a definition, or undefined when it is clean. */
export function judgeDefinition(def: ToolDefinition, subject: string): DefinitionProblem | undefined {
  const a = analyzeTool(def);
  const judgements = [
    ...judgeInstructions(a),
    ...judgeShadowing(a, def.name),
    ...judgeHidden(a),
    ...judgeLinks(a),
    ...judgeParameters(def),
  ]
    .filter((j) => BLOCKING.has(j.severity))
    .sort(bySeverity);
  const top = judgements[0];
  if (!top) return undefined;
  const what = WHAT[top.messageId] ?? `addresses the model (${top.messageId})`;
  return {
    severity: top.severity,
    reason: `the definition of ${subject} ${what} (${top.field})`,
    detail: `the definition of ${subject} ${what} in ${top.field}: "${top.excerpt.slice(0, 160)}"`,
    judgements,
  };
}

/** The strongest high or critical judgement of a tool's definition, or undefined when it is clean. */
export function vetToolDefinition(tool: GuardedTool): DefinitionProblem | undefined {
  const prejudged = (tool as { [PREJUDGED]?: { problem: DefinitionProblem | undefined } })[PREJUDGED];
  if (prejudged) return prejudged.problem;
  return judgeDefinition(listedToolDefinition(tool, tool.server), `${tool.server}/${tool.name}`);
}
