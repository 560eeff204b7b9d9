// End to end through the real launcher (which rebuilds dist when sources changed). Few spawns:
// other areas build through the same launcher, and the machine is shared.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeys, loadPrivateKey } from '../../src/pin/sign.js';
import { generateLog, readLines, writeLines, writeLog } from './helpers.js';

const bin = new URL('../../bin/portcullis.js', import.meta.url).pathname;

function portcullis(args: string[], nodeArgs: string[] = []) {
  return spawnSync(process.execPath, [...nodeArgs, bin, ...args], { encoding: 'utf8', timeout: 290_000 });
}

describe('portcullis audit', () => {
  it('show renders and filters; verify passes an intact log, fails a tampered one, and rejects a missing file', {
    timeout: 300_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-audit-cli-'));
    const keys = generateKeys(dir);
    const file = join(dir, 'audit.log');
    await writeLog(file, 6, {
      signingKey: loadPrivateKey(keys.privateKeyFile),
      checkpointEvery: 4,
      sessionId: 'sess-42',
    });

    const ok = portcullis(['audit', 'verify', file, '--pub', keys.publicKeyFile]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`${file}: intact`);
    expect(ok.stdout).toMatch(/6 records, 2 checkpoints \(2 valid\)/);

    const show = portcullis(['audit', 'show', file]);
    expect(show.status, show.stderr).toBe(0);
    expect(show.stdout).toMatch(/DENY\s+mail\/send_email\s+tools\/call/);
    expect(show.stdout).toContain('[rule-of-two] reason 3');
    expect(show.stdout).toContain('args {"n":3,"to":"user3@example.com"}');
    expect(show.stdout).not.toContain('\x1b['); // no colour when piped

    const denies = portcullis([
      'audit',
      'show',
      file,
      '--decision',
      'deny',
      '--session',
      'sess',
      '--format',
      'json',
    ]);
    expect(denies.status, denies.stderr).toBe(0);
    const records = JSON.parse(denies.stdout) as { decision: string; seq: number; line: number }[];
    expect(records.map((r) => r.decision)).toEqual(['deny', 'deny']);
    expect(records[0]!.line).toBeGreaterThan(1);

    const lines = readLines(file);
    lines[3] = lines[3]!.replace('"reason":"reason 3"', '"reason":"nothing to see"');
    writeLines(file, lines);
    const tampered = portcullis(['audit', 'verify', file, '--pub', keys.publicKeyFile]);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain('TAMPERED — 1 problem');
    expect(tampered.stdout).toContain('line 4 (seq 4): edited:');

    const missing = portcullis(['audit', 'verify', join(dir, 'nope.log')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(join(dir, 'nope.log'));
  });

  it('verifies a 100k-record log with a 48 MB heap (streaming, constant memory)', {
    timeout: 300_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-audit-cli-'));
    const keys = generateKeys(dir);
    const file = join(dir, 'big.log');
    generateLog(file, 100_000, loadPrivateKey(keys.privateKeyFile), 1000); // ~65 MB
    // Reading this file into one string alone needs more heap than this; the CLI itself takes ~15 MB.
    const r = portcullis(['audit', 'verify', file, '--pub', keys.publicKeyFile], ['--max-old-space-size=48']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('100000 records, 101 checkpoints (101 valid)');
  });
});
