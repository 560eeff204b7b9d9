// The adapter examples are documentation that must keep working: type-checked (JSDoc, checkJs, with
// portcullis/* mapped to src/ by examples/adapters/tsconfig.json) and run against the built dist/.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
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
