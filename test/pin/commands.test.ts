// The pin/verify/keygen/sign commands driven in-process through commander, as main() wires them.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from '@commander-js/extra-typings';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerKeygen } from '../../src/cli/commands/keygen.js';
import { registerPin } from '../../src/cli/commands/pin.js';
import { registerSign } from '../../src/cli/commands/sign.js';
import { registerVerify } from '../../src/cli/commands/verify.js';
import { PortcullisError } from '../../src/core/errors.js';

const fixtures = new URL('../fixtures/manifests/', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  let code = 0;
  const program = new Command('portcullis').exitOverride();
  const setExit = (c: number) => {
    code = Math.max(code, c);
  };
  registerPin(program, setExit);
  registerVerify(program, setExit);
  registerKeygen(program, setExit);
  registerSign(program, setExit);
  try {
    await program.parseAsync(['node', 'portcullis', ...args]);
  } catch (e) {
    if (!(e instanceof PortcullisError)) throw e;
    stderr += `portcullis: ${e.format()}\n`;
    code = 2;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { code, stdout, stderr };
}

let dir: string;
let lock: string;
let manifest: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-cmd-'));
  lock = join(dir, 'portcullis.lock');
  manifest = join(dir, 'fs.json');
  copyFileSync(join(fixtures, 'filesystem.json'), manifest);
});

afterEach(() => vi.restoreAllMocks());

describe('pin and verify', () => {
  it('pins, verifies clean, then reports a rug pull with exit 1 and a readable diff', async () => {
    const pinned = await run('pin', manifest, '--lock', lock);
    expect(pinned.code).toBe(0);
    expect(pinned.stdout).toMatch(/pinned 4 tool\(s\) of server "filesystem"/);

    const clean = await run('verify', manifest, '--lock', lock);
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.stdout).toMatch(/server filesystem .*: unchanged/);
    expect(clean.stdout).toMatch(/^OK:/m);

    copyFileSync(join(fixtures, 'filesystem-rugpull.json'), manifest);
    const changed = await run('verify', manifest, '--lock', lock);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('~ changed  read_text_file');
    expect(changed.stdout).toContain('inputSchema.properties.sidenote: added');
    expect(changed.stdout).toContain('- removed  list_directory');
    expect(changed.stdout).toContain('+ added    send_report');

    const json = await run('verify', manifest, '--lock', lock, '--format', 'json');
    const repinned = await run('pin', manifest, '--lock', lock);
    expect(repinned.stdout).toMatch(
      /accepted 1 added, 1 removed, 2 changed \(read_text_file, write_file\) since the previous pin/,
    );
    expect((await run('pin', manifest, '--lock', lock)).stdout).toMatch(/: unchanged/);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ version: 1, ok: false });
    expect(report.diff.servers[0].changed.map((c: { name: string }) => c.name)).toEqual([
      'read_text_file',
      'write_file',
    ]);
  });

  it('keeps other pinned servers when pinning one, and drops them with --prune', async () => {
    const time = join(dir, 'time.json');
    copyFileSync(join(fixtures, 'time-unnamed.json'), time);
    await run('pin', manifest, time, '--lock', lock);
    const again = await run('pin', manifest, '--lock', lock);
    expect(again.stdout).toMatch(/kept 1 other pinned server/);
    expect(Object.keys(JSON.parse(readFileSync(lock, 'utf8')).servers)).toHaveLength(2);
    const verified = await run('verify', manifest, '--lock', lock);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/not checked .*time\.json/);
    await run('pin', manifest, '--lock', lock, '--prune');
    expect(Object.keys(JSON.parse(readFileSync(lock, 'utf8')).servers)).toEqual(['filesystem']);
  });

  it('exits 2 with file:line and field for a malformed manifest, a missing lockfile or a corrupt one', async () => {
    const bad = await run('pin', join(fixtures, 'malformed/missing-name.json'), '--lock', lock);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/missing-name\.json:6:\d+: .*\(at tools\[3\]\.name\)/);

    const missing = await run('verify', manifest, '--lock', lock);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/lockfile not found/);

    writeFileSync(lock, '{\n  "lockfileVersion": 1,\n  "servers": []\n}\n');
    const corrupt = await run('pin', manifest, '--lock', lock);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toMatch(/portcullis\.lock:3: "servers" must be an object \(at servers\)/);
    expect(readFileSync(lock, 'utf8')).toContain('"servers": []'); // never silently replaced
  });

  it('refuses two sources that claim the same server name', async () => {
    const copy = join(dir, 'fs2.json');
    copyFileSync(manifest, copy);
    const r = await run('pin', manifest, copy, '--lock', lock);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/server "filesystem" is also listed by/);
  });
});

describe('keygen, sign and verify --pub', () => {
  it('signs the lockfile and checks the signature on verify, failing on each problem', async () => {
    const keys = join(dir, 'keys');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(keys);
    expect((await run('keygen', '--out', keys)).stdout).toMatch(/key id [0-9a-f]{16}/);
    expect((await run('keygen', '--out', keys)).code).toBe(2);
    const pub = join(keys, 'portcullis.pub');
    await run('pin', manifest, '--lock', lock);

    const unsigned = await run('verify', manifest, '--lock', lock, '--pub', pub);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toMatch(/SIGNATURE MISSING/);

    expect((await run('sign', lock, '--key', join(keys, 'portcullis.key'))).stdout).toMatch(
      /wrote .*portcullis\.lock\.sig/,
    );
    const signed = await run('verify', manifest, '--lock', lock, '--pub', pub);
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(/signature valid \(key [0-9a-f]{16}\)/);

    // re-pinning the same tools leaves the bytes, and so the signature, as they were
    expect((await run('pin', manifest, '--lock', lock)).stderr).toBe('');
    expect((await run('verify', manifest, '--lock', lock, '--pub', pub)).code).toBe(0);
    // re-pinning changed tools rewrites the lockfile: the old signature is stale and pin says so
    copyFileSync(join(fixtures, 'time-unnamed.json'), join(dir, 'time.json'));
    const repin = await run('pin', join(dir, 'time.json'), '--lock', lock);
    expect(repin.stderr).toMatch(/no longer matches the rewritten lockfile; sign it again/);
    writeFileSync(lock, readFileSync(lock, 'utf8').replace('"lockfileVersion": 1', '"lockfileVersion":  1'));
    const tampered = await run('verify', manifest, '--lock', lock, '--pub', pub);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/SIGNATURE BAD-SIGNATURE/);

    writeFileSync(join(dir, 'not-a-key.pub'), 'hello');
    const badKey = await run('verify', '--pub', join(dir, 'not-a-key.pub'), manifest, '--lock', lock);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/not-a-key\.pub: not a PEM public key/);
  });
});
