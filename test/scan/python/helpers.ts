import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Expr, FileFacts, FunctionFact, RegistrationFact } from '../../../src/scan/facts.js';
import { initPython, parsePython } from '../../../src/scan/python/index.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/scan/python');

export async function parseFixture(name: string): Promise<FileFacts> {
  await initPython();
  return parsePython(readFileSync(join(FIXTURES, name), 'utf8'), `fixtures/${name}`);
}

export async function parseSource(source: string, file = 'test.py'): Promise<FileFacts> {
  await initPython();
  return parsePython(source, file);
}

/** The value of a string literal expression (throws for anything else, so tests fail loudly). */
export function str(expr: Expr | null | undefined): string {
  if (expr?.k !== 'str') throw new Error(`expected a string literal, got ${JSON.stringify(expr)}`);
  return expr.value;
}

/** The registration whose name (literal or default) is `name`. */
export function registration(facts: FileFacts, name: string): RegistrationFact {
  const found = facts.registrations.find(
    (r) => (r.name?.k === 'str' && r.name.value === name) || (r.name === null && r.defaultName === name),
  );
  if (!found) {
    const names = facts.registrations.map((r) => (r.name?.k === 'str' ? r.name.value : r.defaultName));
    throw new Error(`no registration ${name}; have ${names.join(', ')}`);
  }
  return found;
}

/** Parameter name → description literal (or undefined). */
export function paramDocs(reg: RegistrationFact): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const p of reg.params) out[p.name] = p.description?.k === 'str' ? p.description.value : undefined;
  return out;
}

export function fn(facts: FileFacts, id: string): FunctionFact {
  const found = facts.functions.find((f) => f.id === id);
  if (!found) throw new Error(`no function ${id}; have ${facts.functions.map((f) => f.id).join(', ')}`);
  return found;
}

export function handlerId(reg: RegistrationFact): string | undefined {
  return reg.handler?.kind === 'function' ? reg.handler.id : undefined;
}

/** Strips line/column numbers so IR shapes can be compared structurally. */
export function shape(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'line' || key === 'column' ? undefined : v)));
}
