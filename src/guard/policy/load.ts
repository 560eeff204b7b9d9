// Reads a policy file: YAML with every problem reported at its line and column, then the zod shape.
// All problems are collected (not just the first) into one POLICY_INVALID error whose message lists
// them; the error's own location is the first problem's.

import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { PortcullisError } from '../../core/errors.js';
import { type PolicyFile, policySchema } from './schema.js';

export const MAX_POLICY_BYTES = 1024 * 1024;
/** Aliases may be used a little (shared label lists), never to build an exponential document. */
export const MAX_ALIAS_COUNT = 50;

export interface PolicyProblem {
  message: string;
  line?: number;
  column?: number;
  /** Dotted path of the offending field. */
  field?: string;
}

export class PolicyError extends PortcullisError {
  /** Every problem found, in file order; the error's own location is the first one's. */
  readonly problems: PolicyProblem[];
  constructor(file: string | undefined, problems: PolicyProblem[]) {
    const sorted = [...problems].sort(
      (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
    );
    const first = sorted[0] ?? { message: 'invalid policy' };
    const more =
      sorted.length > 1 ? ` (and ${sorted.length - 1} more problem${sorted.length > 2 ? 's' : ''})` : '';
    super('POLICY_INVALID', first.message + more, {
      ...(file !== undefined ? { file } : {}),
      ...(first.line !== undefined ? { line: first.line } : {}),
      ...(first.column !== undefined ? { column: first.column } : {}),
      ...(first.field !== undefined ? { field: first.field } : {}),
    });
    this.name = 'PolicyError';
    this.problems = sorted;
  }

  /** One `file:line:column: message (at field)` line per problem. */
  override format(): string {
    const file = this.location?.file ?? '';
    return this.problems
      .map((p) => {
        const where = p.line !== undefined ? `${file}:${p.line}:${p.column ?? 1}` : file;
        const field = p.field ? ` (at ${p.field})` : '';
        return where ? `${where}: ${p.message}${field}` : `${p.message}${field}`;
      })
      .join('\n');
  }
}

export interface ParsedPolicy {
  policy: PolicyFile;
  /** Where rules and settings sit, for lint messages: `servers.NAME.tools.TOOL`, `ruleOfTwo` → line/column. */
  positions: Map<string, { line: number; column: number }>;
}

export function readPolicyFile(file: string): ParsedPolicy {
  let text: string;
  try {
    const buf = readFileSync(file);
    if (buf.length > MAX_POLICY_BYTES)
      throw new PolicyError(file, [{ message: `policy file is larger than ${MAX_POLICY_BYTES} bytes` }]);
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof PortcullisError) throw e;
    throw new PortcullisError('INPUT_NOT_FOUND', `cannot read policy file: ${(e as Error).message}`, {
      file,
    });
  }
  return parsePolicyText(text, file);
}

export function parsePolicyText(text: string, file?: string): ParsedPolicy {
  if (text.length > MAX_POLICY_BYTES) throw new PolicyError(file, [{ message: 'policy text is too large' }]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, strict: true });
  const problems: PolicyProblem[] = [];
  for (const err of [...doc.errors, ...doc.warnings]) {
    const pos = err.linePos?.[0];
    problems.push({
      message: `YAML: ${err.message.split('\n')[0]}`,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    });
  }
  if (problems.length > 0) throw new PolicyError(file, problems);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    throw new PolicyError(file, [{ message: `YAML: ${(e as Error).message}` }]);
  }
  if (raw === null || raw === undefined)
    throw new PolicyError(file, [{ message: 'policy file is empty', line: 1, column: 1 }]);
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(issueProblem(issue, doc.contents, lineCounter));
    throw new PolicyError(file, problems);
  }
  return { policy: parsed.data, positions: rulePositions(doc.contents, lineCounter) };
}

function issueProblem(issue: z.core.$ZodIssue, root: unknown, lc: LineCounter): PolicyProblem {
  let path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  let message = issue.message;
  // An unknown key is reported at the key itself.
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    path = [...path, issue.keys[0] as string];
    message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  const field = path.join('.');
  const where = locate(root, path, issue.code === 'unrecognized_keys');
  const pos = where === undefined ? undefined : lc.linePos(where);
  return { message, ...(pos ? { line: pos.line, column: pos.col } : {}), ...(field ? { field } : {}) };
}

/** Offset of the node at `path`, or of the deepest existing ancestor. */
function locate(root: unknown, path: (string | number)[], atKey: boolean): number | undefined {
  let node = root as Node | undefined;
  let offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find(
        (it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg),
      );
      if (!pair) return offset;
      const last = i === path.length - 1;
      const keyRange = (pair.key as { range?: [number, number, number] } | null)?.range;
      if (last && atKey && keyRange) return keyRange[0];
      const value = pair.value as Node | null;
      const valueRange = (value as { range?: [number, number, number] } | null)?.range;
      offset = valueRange?.[0] ?? keyRange?.[0] ?? offset;
      node = value ?? undefined;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      const r = (item as { range?: [number, number, number] } | undefined)?.range;
      if (!r) return offset;
      offset = r[0];
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

function rulePositions(root: unknown, lc: LineCounter): Map<string, { line: number; column: number }> {
  const out = new Map<string, { line: number; column: number }>();
  if (!isMap(root)) return out;
  // Top-level settings and their sections' keys (`results.injection`, `pinned.lock`), at their values.
  for (const p of root.items) {
    if (!isScalar(p.key)) continue;
    const key = String(p.key.value);
    const value = p.value as { range?: [number, number, number] } | null;
    if (value?.range) {
      const pos = lc.linePos(value.range[0]);
      out.set(key, { line: pos.line, column: pos.col });
    }
    if ((key === 'results' || key === 'pinned') && isMap(p.value)) {
      for (const q of p.value.items) {
        const r = (q.value as { range?: [number, number, number] } | null)?.range;
        if (isScalar(q.key) && r) {
          const pos = lc.linePos(r[0]);
          out.set(`${key}.${String(q.key.value)}`, { line: pos.line, column: pos.col });
        }
      }
    }
  }
  const servers = root.items.find((p) => isScalar(p.key) && p.key.value === 'servers')?.value;
  if (!isMap(servers)) return out;
  for (const s of servers.items) {
    if (!isScalar(s.key) || !isMap(s.value)) continue;
    const name = String(s.key.value);
    const tools = s.value.items.find((p) => isScalar(p.key) && p.key.value === 'tools')?.value;
    if (!isMap(tools)) continue;
    for (const t of tools.items) {
      if (!isScalar(t.key) || !t.key.range) continue;
      const pos = lc.linePos(t.key.range[0]);
      out.set(`servers.${name}.tools.${String(t.key.value)}`, { line: pos.line, column: pos.col });
    }
  }
  return out;
}
