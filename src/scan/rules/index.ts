// The rule registry and the runner that turns rule reports into findings.

import { createHash } from 'node:crypto';
import { PortcullisError } from '../../core/errors.js';
import type { Finding, ToolDefinition } from '../../core/types.js';
import { deniedEffect } from './denied-effect.js';
import { exfiltrationLink } from './exfiltration-link.js';
import { exfiltrationParameter } from './exfiltration-parameter.js';
import { gatedBehavior } from './gated-behavior.js';
import { hiddenContent } from './hidden-content.js';
import { hiddenDynamicCode } from './hidden-dynamic-code.js';
import { mutationUnderReadonly } from './mutation-under-readonly.js';
import { secretExfiltration } from './secret-exfiltration.js';
import { toolPoisoning } from './tool-poisoning.js';
import { toolShadowing } from './tool-shadowing.js';
import type { Rule, RuleReport } from './types.js';
import { undeclaredEffect } from './undeclared-effect.js';
import { undisclosedDataEgress } from './undisclosed-data-egress.js';

export type { Rule, RuleContext, RuleMeta, RuleReport } from './types.js';

export const RULES: readonly Rule[] = [
  deniedEffect,
  secretExfiltration,
  undisclosedDataEgress,
  hiddenDynamicCode,
  mutationUnderReadonly,
  undeclaredEffect,
  gatedBehavior,
  // Description poisoning (src/scan/poison): every tool, manifest or source.
  toolPoisoning,
  toolShadowing,
  hiddenContent,
  exfiltrationParameter,
  exfiltrationLink,
];

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Fill a message template; a placeholder without data is a rule bug and fails loudly. */
export function formatMessage(rule: Rule, messageId: string, data: Record<string, string> = {}): string {
  const template = rule.meta.messages[messageId];
  if (template === undefined) {
    throw new PortcullisError('INTERNAL', `rule ${rule.id} reported unknown message id "${messageId}"`);
  }
  return template.replace(PLACEHOLDER, (_m, key: string) => {
    const value = data[key];
    if (value === undefined) {
      throw new PortcullisError(
        'INTERNAL',
        `rule ${rule.id} message "${messageId}" has no value for {{${key}}}`,
      );
    }
    return value;
  });
}

/** Stable across runs and reorderings: rule, tool, place and message id. */
export function findingId(rule: string, tool: string, file: string, line: number, messageId: string): string {
  return createHash('sha256')
    .update(`${rule}\0${tool}\0${file}\0${line}\0${messageId}`)
    .digest('hex')
    .slice(0, 16);
}

function selectRules(ids: string[] | undefined): readonly Rule[] {
  if (!ids) return RULES;
  const known = new Map(RULES.map((r) => [r.id, r]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new PortcullisError(
      'USAGE',
      `unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; known rules: ${[...known.keys()].join(', ')}`,
      { field: 'rules' },
    );
  }
  return RULES.filter((r) => ids.includes(r.id));
}

/** Run the rules over the tools. Findings are de-duplicated by id and sorted by file and line. */
export function runRules(tools: ToolDefinition[], options?: { rules?: string[] }): Finding[] {
  const rules = selectRules(options?.rules);
  const byId = new Map<string, Finding>();
  const byFolder = new Map<string, ToolDefinition[]>();
  for (const tool of tools) {
    const folder = folderOf(tool.file);
    const list = byFolder.get(folder);
    if (list) list.push(tool);
    else byFolder.set(folder, [tool]);
  }
  for (const tool of tools) {
    const neighbours = byFolder.get(folderOf(tool.file)) ?? [tool];
    for (const rule of rules) {
      const report = (r: RuleReport): void => {
        const id = findingId(rule.id, tool.id, r.location.file, r.location.line, r.messageId);
        if (byId.has(id)) return;
        byId.set(id, {
          id,
          rule: rule.id,
          severity: r.severity ?? rule.meta.severity,
          tool: tool.id,
          file: r.location.file,
          line: r.location.line,
          message: formatMessage(rule, r.messageId, r.data),
          evidence: r.evidence,
        });
      };
      try {
        rule.check({ tool, neighbours, all: tools, report });
      } catch (err) {
        if (err instanceof PortcullisError) throw err;
        throw new PortcullisError(
          'INTERNAL',
          `rule ${rule.id} failed on tool ${tool.id}: ${(err as Error).message}`,
          { file: tool.file, line: tool.line },
          { cause: err },
        );
      }
    }
  }
  return [...byId.values()].sort(compareFindings);
}

function folderOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
