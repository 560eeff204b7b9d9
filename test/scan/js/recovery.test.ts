// The TypeScript recovery path must produce the same facts as the oxc path: each fixture is
// parsed as is, then with a syntax error appended, and the facts are compared.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FileFacts } from '../../../src/scan/facts.js';
import { parseJs } from '../../../src/scan/js/index.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/scan/js');
const NAMES = [
  'mcp-sdk-server.ts',
  'lowlevel-server.js',
  'lowlevel-map.ts',
  'vercel-ai.ts',
  'langchain-tools.ts',
  'openai-agents.ts',
  'fastmcp-server.ts',
  'commonjs.js',
];

/** Facts without parse errors, notes, and line/column detail that legitimately differs. */
function comparable(facts: FileFacts): unknown {
  return JSON.parse(
    JSON.stringify({
      imports: facts.imports,
      exports: facts.exports,
      functions: facts.functions.map((f) => ({ id: f.id, params: f.params, doc: f.doc, body: f.body })),
      classes: facts.classes,
      registrations: facts.registrations,
      unresolved: facts.unresolved.map((u) => ({ line: u.line, reason: u.reason })),
    }),
  );
}

describe('TypeScript recovery matches oxc', () => {
  for (const name of NAMES) {
    it(name, () => {
      const source = readFileSync(join(FIXTURES, name), 'utf8');
      const clean = parseJs(source, name);
      const lastLine = source.split('\n').length;
      const broken = parseJs(`${source}\nfunction broken( { return ) }\n`, name);
      expect(clean.parseErrors).toEqual([]);
      expect(broken.parseErrors.length).toBeGreaterThan(0);
      const a = comparable(clean) as { functions: { id: string }[] };
      const b = comparable(broken) as { functions: { id: string }[] };
      // the broken function itself is extra on the recovery side
      b.functions = b.functions.filter((f) => f.id !== 'broken');
      const module = (b as { functions: { id: string; body: { line: number }[] }[] }).functions[0];
      if (module) module.body = module.body.filter((st) => st.line <= lastLine);
      expect(b).toEqual(a);
    });
  }
});
