import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Expr, FileFacts, FunctionFact, RegistrationFact } from '../../../src/scan/facts.js';
import { parseJs } from '../../../src/scan/js/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/scan/js');

export function fixture(name: string): FileFacts {
  return parseJs(readFileSync(join(FIXTURES, name), 'utf8'), `fixtures/${name}`);
}

/** The string an expression names when it is a plain literal (`str`), else undefined. */
export function str(e: Expr | null | undefined): string | undefined {
  return e?.k === 'str' ? e.value : undefined;
}

export function byName(facts: FileFacts, name: string): RegistrationFact {
  const reg = facts.registrations.find(
    (r) => str(r.name) === name || (r.name === null && r.defaultName === name),
  );
  if (!reg)
    throw new Error(
      `no registration ${name}; have ${facts.registrations.map((r) => str(r.name) ?? r.defaultName).join(', ')}`,
    );
  return reg;
}

export function fn(facts: FileFacts, id: string): FunctionFact {
  const f = facts.functions.find((x) => x.id === id);
  if (!f) throw new Error(`no function ${id}; have ${facts.functions.map((x) => x.id).join(', ')}`);
  return f;
}

export function handlerId(reg: RegistrationFact): string | undefined {
  return reg.handler?.kind === 'function' ? reg.handler.id : undefined;
}

export function moduleBody(facts: FileFacts) {
  return fn(facts, '<module>').body;
}
