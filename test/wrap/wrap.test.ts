// `portcullis wrap` on every client shape: each stdio server routed through the proxy, remote ones
// left alone, comments and layout kept, idempotent, undone byte for byte, and a broken config
// refused without a byte changed.
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import { loadPolicy } from '../../src/guard/index.js';
import { readNamedConfigFile } from '../../src/scan/configs/read.js';
import type { ConfigServer } from '../../src/scan/configs/types.js';
import { backupPath, manifestPath, undoWrap, wrapConfig } from '../../src/wrap/index.js';

const fixtures = new URL('../fixtures/wrap/', import.meta.url).pathname;
const launcher = { node: '/usr/bin/node', script: '/opt/portcullis/bin/portcullis.js' };

/** wrapped: stdio and Streamable HTTP entries (in file order); remote: SSE entries left alone;
 * refused: entries skipped with a reason (headers the proxy could not send). */
const CASES: { file: string; wrapped: string[]; remote: string[]; refused?: string[] }[] = [
  {
    file: 'claude-desktop/claude_desktop_config.json',
    wrapped: ['github', 'filesystem', 'clock'],
    remote: [],
  },
  { file: 'claude-code/.claude.json', wrapped: ['sentry', 'notes', 'db'], remote: [] },
  { file: 'cursor/.cursor/mcp.json', wrapped: ['browser'], remote: [], refused: ['docs'] },
  { file: 'cursor-remote/.cursor/mcp.json', wrapped: ['search', 'local'], remote: ['events'] },
  { file: 'vscode/.vscode/mcp.json', wrapped: ['tracker', 'remote'], remote: [] },
  { file: 'vscode-settings/.vscode/settings.json', wrapped: ['time'], remote: [] },
  { file: 'windsurf/mcp_config.json', wrapped: ['memory'], remote: ['linear'] },
  { file: 'zed/zed/settings.json', wrapped: ['postgres', 'git'], remote: [] },
  { file: 'continue/.continue/config.yaml', wrapped: ['SQLite', 'Fetch', 'Remote'], remote: [] },
  { file: 'continue-json/.continue/config.json', wrapped: ['#1'], remote: [] },
  {
    file: 'gemini/.gemini/settings.json',
    wrapped: ['pythonTools', 'httpServer'],
    remote: ['sseServer'],
    refused: ['privateApi'],
  },
];

function copyFixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pc-wrap-'));
  cpSync(fixtures, join(dir, 'cfg'), { recursive: true });
  return dir;
}

/** The servers as the scanner reads them, without line numbers (inserted lines move them). */
function serversOf(file: string): Omit<ConfigServer, 'line' | 'fieldLines'>[] {
  const r = readNamedConfigFile(file, file);
  expect(r.errors).toEqual([]);
  return r.servers.map(({ line: _l, fieldLines: _f, ...rest }) => rest);
}

/** Comment lines (`//`, `/*`, `#`) of a file, trimmed. */
function comments(text: string): string[] {
  return (
    text
      .split(/\r?\n/)
      // `//` after a URL's scheme is not a comment.
      .map((l) => /(?:(?<!:)\/\/|\/\*|#\s).*$/.exec(l)?.[0]?.trim())
      .filter((c): c is string => c !== undefined && !c.startsWith('#1') && !c.includes('portcullis'))
  );
}

describe('portcullis wrap', () => {
  for (const c of CASES) {
    it(`wraps and undoes ${c.file} byte for byte`, () => {
      const dir = copyFixtures();
      const file = join(dir, 'cfg', c.file);
      chmodSync(file, 0o640);
      const original = readFileSync(file);
      const before = serversOf(file);
      const policyDir = join(dir, 'policies');
      const auditDir = join(dir, 'audit');

      const report = wrapConfig(file, { policyDir, auditDir, launcher });
      expect(report.changed).toBe(true);
      expect(report.servers.filter((s) => s.status === 'wrapped').map((s) => s.name)).toEqual(c.wrapped);
      expect(report.servers.filter((s) => s.status === 'remote').map((s) => s.name)).toEqual(c.remote);
      const refused = report.servers.filter((s) => s.status === 'skipped');
      expect(refused.map((s) => s.name)).toEqual(c.refused ?? []);
      for (const s of refused)
        if (s.status === 'skipped')
          expect(s.reason).toMatch(
            /^has headers \(.+\); the proxy can send them instead: .*inject: \{ header: /,
          );

      const text = readFileSync(file, 'utf8');
      expect(statSync(file).mode & 0o777).toBe(0o640);
      expect(comments(text)).toEqual(comments(original.toString('utf8')));
      if (original.includes('\r\n')) expect(text.replace(/\r\n/g, '')).not.toContain('\n');
      // Every byte outside the launch lines is kept: removing the inserted text gives the original back.
      const after = serversOf(file);
      expect(after.map((s) => s.name)).toEqual(before.map((s) => s.name));
      for (const [i, s] of after.entries()) {
        const was = before[i]!;
        if (!c.wrapped.includes(s.name)) {
          expect(s).toEqual(was);
          continue;
        }
        const outcome = report.servers.find((o) => o.name === s.name && o.status === 'wrapped');
        if (outcome?.status !== 'wrapped') throw new Error('expected a wrapped outcome');
        expect(s.command).toBe(launcher.node);
        expect(s.transport).toBe('stdio');
        const head = [
          launcher.script,
          'proxy',
          '--name',
          s.name,
          '--policy',
          outcome.policy,
          '--audit',
          outcome.audit,
        ];
        if (was.url !== undefined) {
          // A Streamable HTTP entry: the proxy's stdio face in front of the same URL.
          expect(was.transport).toBe('http');
          expect(s.args).toEqual([...head, '--upstream', was.url]);
          expect(s.url).toBeUndefined();
          expect(outcome.command).toEqual([launcher.node, ...head, '--upstream', was.url]);
          expect(loadPolicy(outcome.policy).origin).toBe(outcome.policy);
          continue;
        }
        expect(s.args).toEqual([...head, '--', was.command, ...(was.args ?? [])]);
        expect(s.env).toEqual(was.env);
        expect(s.cwd).toEqual(was.cwd);
        // The created policy loads.
        expect(loadPolicy(outcome.policy).origin).toBe(outcome.policy);
      }
      expect(existsSync(backupPath(file))).toBe(true);
      expect(readFileSync(backupPath(file))).toEqual(original);
      const manifest = JSON.parse(readFileSync(manifestPath(file), 'utf8')) as { original: string };
      expect(manifest.original).toMatch(/^[0-9a-f]{64}$/);

      // Idempotent: a wrapped config is recognised and left exactly as it is.
      const wrappedBytes = readFileSync(file);
      const again = wrapConfig(file, { policyDir, auditDir, launcher });
      expect(again.changed).toBe(false);
      expect(again.servers.filter((s) => s.status === 'already-wrapped').map((s) => s.name)).toEqual(
        c.wrapped,
      );
      expect(readFileSync(file)).toEqual(wrappedBytes);

      const undone = undoWrap(file);
      expect(undone.changed).toBe(true);
      expect(readFileSync(file)).toEqual(original);
      expect(statSync(file).mode & 0o777).toBe(0o640);
      expect(existsSync(backupPath(file))).toBe(false);
      expect(existsSync(manifestPath(file))).toBe(false);
      // Nothing left behind in the config's folder (no temporary files).
      expect(readdirSync(join(file, '..')).filter((f) => f.includes('portcullis'))).toEqual([]);
    });
  }

  it('unwraps in place when the config changed after wrapping, keeping the change', () => {
    const dir = copyFixtures();
    const file = join(dir, 'cfg', 'vscode/.vscode/mcp.json');
    const before = serversOf(file);
    wrapConfig(file, { policyDir: join(dir, 'p'), auditDir: join(dir, 'a'), launcher });
    // The editor adds a setting after the wrap.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('"servers": {', '"servers": {\n    // added later'),
    );
    const undone = undoWrap(file);
    expect(undone.notes.join(' ')).toMatch(/changed since it was wrapped/);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('// added later');
    expect(text).not.toContain('portcullis');
    expect(serversOf(file)).toEqual(before);
  });

  it('refuses a config it cannot parse, naming line and column, and leaves it untouched', () => {
    const dir = copyFixtures();
    const file = join(dir, 'cfg', 'broken/.cursor/mcp.json');
    const original = readFileSync(file);
    let error: unknown;
    try {
      wrapConfig(file, { policyDir: join(dir, 'p'), auditDir: join(dir, 'a'), launcher });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PortcullisError);
    const e = error as PortcullisError;
    // The unclosed `[` of line 5 is found where the object closes instead.
    expect(e.location?.line).toBe(6);
    expect(e.location?.column).toBeGreaterThan(0);
    expect(e.message).toMatch(/not changed/);
    expect(readFileSync(file)).toEqual(original);
    expect(existsSync(backupPath(file))).toBe(false);
    expect(existsSync(join(dir, 'p'))).toBe(false);
  });

  it('writes nothing on a dry run', () => {
    const dir = copyFixtures();
    const file = join(dir, 'cfg', 'claude-desktop/claude_desktop_config.json');
    const original = readFileSync(file);
    const r = wrapConfig(file, {
      policyDir: join(dir, 'p'),
      auditDir: join(dir, 'a'),
      launcher,
      dryRun: true,
    });
    expect(r.changed).toBe(true);
    expect(readFileSync(file)).toEqual(original);
    expect(existsSync(backupPath(file))).toBe(false);
    expect(existsSync(join(dir, 'p'))).toBe(false);
  });

  it('keeps an existing policy file and gives same-named servers of different projects their own files', () => {
    const dir = copyFixtures();
    const file = join(dir, 'cfg', 'claude-code/.claude.json');
    const policyDir = join(dir, 'p');
    const mine = join(policyDir, 'claude-code-notes.yaml');
    mkdirSync(policyDir, { recursive: true });
    writeFileSync(mine, 'version: 1\ndefault: deny\n');
    const r = wrapConfig(file, { policyDir, auditDir: join(dir, 'a'), launcher });
    expect(readFileSync(mine, 'utf8')).toBe('version: 1\ndefault: deny\n');
    expect(r.createdPolicies.map((p) => p.slice(policyDir.length + 1))).toEqual([
      'claude-code-sentry.yaml',
      'claude-code-app-db.yaml',
    ]);
  });
});

describe('portcullis wrap on a linked config', () => {
  it('edits the file the link points to and keeps the link', () => {
    const dir = copyFixtures();
    const real = join(dir, 'cfg', 'cursor/.cursor/mcp.json');
    const link = join(dir, 'mcp-link.json');
    symlinkSync(real, link);
    const original = readFileSync(real);
    const r = wrapConfig(link, { policyDir: join(dir, 'p'), auditDir: join(dir, 'a'), launcher });
    expect(r.changed).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('portcullis.js');
    undoWrap(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real)).toEqual(original);
  });
});
