// The adapter examples are documentation that must keep working: type-checked (JSDoc, checkJs, with
// portcullis/* mapped to src/ by examples/adapters/tsconfig.json) and run against the built dist/.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, node } from '../proxy/helpers.js';

const root = new URL('../../', import.meta.url).pathname;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = (args: string[]) => spawnSync(node, args, { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('examples/adapters', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('type-check', { timeout: 120_000 }, () => {
    const r = run([tsc, '-p', 'examples/adapters/tsconfig.json']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('ai-sdk.mjs runs: the injected email sends nothing, the audit log verifies', { timeout: 60_000 }, () => {
    const r = run(['examples/adapters/ai-sdk.mjs']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('send_email → "[portcullis] Denied ai-sdk/send_email');
    expect(r.stdout).toContain('emails actually sent: 0');
    expect(r.stdout).toMatch(/audit log .*: 4 records, verified/);
  });

  it('mcp-client.mjs runs: labels listed, the planted address refused', { timeout: 60_000 }, () => {
    const r = run(['examples/adapters/mcp-client.mjs']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('tool send_email: {"labels":{"source":[],"sink":["external"]}}');
    expect(r.stdout).toMatch(
      /send_email → isError=true: \[portcullis\] Denied inbox\/send_email: .*attacker@evil\.example/,
    );
  });
});

describe('docs/adapters.md', () => {
  it('shows the example regions exactly as the type-checked examples have them', () => {
    const doc = readFileSync(join(root, 'docs', 'adapters.md'), 'utf8');
    let regions = 0;
    for (const file of ['ai-sdk.mjs', 'mcp-client.mjs']) {
      const source = readFileSync(join(root, 'examples', 'adapters', file), 'utf8');
      for (const m of source.matchAll(/\/\/ #region (\w+)\n([\s\S]*?)\n\s*\/\/ #endregion \1/g)) {
        const lines = (m[2] as string).split('\n');
        const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
        const snippet = lines.map((l) => l.slice(indent)).join('\n');
        expect(doc, `${file} #region ${m[1]}`).toContain(snippet);
        regions++;
      }
    }
    expect(regions).toBe(3);
  });
});
