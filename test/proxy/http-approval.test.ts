// Approvals over the Streamable HTTP face: the same channels as over stdio. A 2025-era client that
// declared elicitation is asked with elicitation/create; a 2026-07-28 client gets input_required and
// retries with the answer. What the server ran is read from its own log.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/index.js';
import { createGuard } from '../../src/guard/index.js';
import { createApprovals } from '../../src/proxy/approval/index.js';
import { startHttpProxy } from '../../src/proxy/http.js';
import { ProxyLog } from '../../src/proxy/log.js';
import { node, servers, tempDir } from './helpers.js';
import { type Era, type Result, records, text } from './http-helpers.js';

const dir = tempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const ran = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

async function start(name: string, era: Era, answers: string[]) {
  const audit = join(dir, `${name}.jsonl`);
  const destroyed = join(dir, `${name}-destroyed.log`);
  const approvals = createApprovals({ mode: 'elicitation', timeoutMs: 10_000 });
  const proxy = await startHttpProxy({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: {
      command: node,
      args: [join(servers, 'destructive.mjs')],
      env: { ...process.env, DESTROYED_LOG: destroyed },
    },
    guard: createGuard({ approvals: approvals.store }),
    openAudit: () => AuditLog.open(audit),
    callTimeoutMs: 15_000,
    log: new ProxyLog(() => undefined),
    ...(approvals.channel ? { approvals: approvals.channel } : {}),
  });
  cleanups.push(
    () => proxy.close(),
    () => approvals.close(),
  );
  const client = new Client(
    { name: `approver-${name}`, version: '1.0.0' },
    {
      capabilities: { elicitation: { form: {} } },
      ...(era === 'legacy' ? {} : { versionNegotiation: { mode: { pin: era } } }),
    },
  );
  const asked: string[] = [];
  client.setRequestHandler('elicitation/create', async (req) => {
    asked.push(String((req.params as { message?: string }).message));
    const decision = answers.shift();
    if (!decision) throw new Error('asked more often than the test expected');
    return { action: 'accept', content: { decision } } as never;
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(proxy.url)), { timeout: 30_000 });
  cleanups.push(() => client.close());
  return { client, asked, audit, destroyed };
}

for (const era of ['legacy', '2026-07-28'] as const) {
  describe(`HTTP proxy approvals (${era} client)`, () => {
    it('asks the client, forwards on approval, refuses on denial, and records both', {
      timeout: 120_000,
    }, async () => {
      const { client, asked, audit, destroyed } = await start(`http-${era}`, era, ['once', 'deny']);
      const del = { name: 'delete_file', arguments: { path: 'notes.txt' } };
      const first = (await client.callTool(del)) as Result;
      expect(first.isError, text(first)).toBeFalsy();
      expect(ran(destroyed)).toEqual(['delete notes.txt']);
      const second = (await client.callTool(del)) as Result;
      expect(second.isError).toBe(true);
      expect(text(second)).toMatch(/refused/);
      expect(ran(destroyed)).toEqual(['delete notes.txt']);
      expect(asked).toHaveLength(2);
      expect(asked[0]).toMatch(/delete_file/);
      const answered = records(audit).filter(
        (r) =>
          (r.meta as { approval?: string } | undefined)?.approval === 'granted' ||
          (r.meta as { approval?: string } | undefined)?.approval === 'denied',
      );
      expect(answered.map((r) => (r.meta as { approval: string }).approval)).toEqual(['granted', 'denied']);
    });
  });
}
