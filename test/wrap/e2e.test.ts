// A wrapped config really works: its server entry, started the way a client starts it (command,
// args and env from the file), answers tools/list and a call through the proxy with the real SDK
// client, and the call lands in the per-server audit log. The CLI refuses a broken config (exit 2,
// file:line:column) and restores a wrapped one byte for byte.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNamedConfigFile } from '../../src/scan/configs/read.js';
import { ensureBuilt, node, runDist, servers } from '../proxy/helpers.js';

const fixtures = new URL('../fixtures/wrap/', import.meta.url).pathname;

beforeAll(() => ensureBuilt(), 300_000);

describe('a wrapped config, started as a client starts it', () => {
  it('answers tools/list and a call through the proxy, and the call is audited', {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-wrap-e2e-'));
    const file = join(dir, 'claude_desktop_config.json');
    const sent = join(dir, 'sent.jsonl');
    const original = `${JSON.stringify(
      {
        mcpServers: { mail: { command: node, args: [join(servers, 'email.mjs')], env: { SENT_LOG: sent } } },
      },
      null,
      2,
    )}\n`;
    writeFileSync(file, original);
    const policyDir = join(dir, 'policies');
    const auditDir = join(dir, 'audit');
    const wrap = spawnSync(
      node,
      [runDist, 'wrap', file, '--policy-dir', policyDir, '--audit-dir', auditDir],
      {
        encoding: 'utf8',
      },
    );
    expect(wrap.status, wrap.stderr).toBe(0);
    expect(wrap.stdout).toContain('mail: wrapped');

    const [entry] = readNamedConfigFile(file, file).servers;
    if (!entry?.command) throw new Error('no wrapped entry');
    expect(entry.args?.slice(1, 3)).toEqual(['proxy', '--name']);
    expect(entry.args?.[0]).toMatch(/bin\/portcullis\.js$/);
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args ?? [],
      env: { ...(process.env as Record<string, string>), ...(entry.env ?? {}) },
      stderr: 'pipe',
      cwd: dir,
    });
    const client = new Client({ name: 'wrapped-client', version: '1.0.0' });
    await client.connect(transport, { timeout: 360_000 });
    try {
      const tools = (await client.listTools()).tools;
      expect(tools.map((t) => t.name)).toContain('echo');
      const r = (await client.callTool({ name: 'echo', arguments: { text: 'through the wrap' } })) as {
        content: { text?: string }[];
        _meta?: { portcullis?: { decision?: string } };
      };
      expect(r.content.map((c) => c.text).join('')).toContain('through the wrap');
      expect(r._meta?.portcullis?.decision).toBe('allow');
    } finally {
      await client.close();
    }
    const audit = join(auditDir, 'claude-desktop-mail.jsonl');
    const records = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { server?: string; tool?: string; method?: string });
    expect(records.some((x) => x.server === 'mail' && x.tool === 'echo' && x.method === 'tools/call')).toBe(
      true,
    );
    expect(existsSync(join(policyDir, 'claude-desktop-mail.yaml'))).toBe(true);

    const undo = spawnSync(node, [runDist, 'wrap', '--undo', file], { encoding: 'utf8' });
    expect(undo.status, undo.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('refuses a broken config on the command line with exit 2 and file:line:column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-wrap-cli-'));
    const file = join(dir, '.cursor', 'mcp.json');
    mkdirSync(join(dir, '.cursor'));
    const broken = readFileSync(join(fixtures, 'broken/.cursor/mcp.json'));
    writeFileSync(file, broken);
    const r = spawnSync(node, [runDist, 'wrap', file, '--policy-dir', join(dir, 'p')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:\\d+: `));
    expect(readFileSync(file)).toEqual(broken);
    expect(existsSync(join(dir, 'p'))).toBe(false);
  });
});
