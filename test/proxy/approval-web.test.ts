// The approval page. End to end: `portcullis proxy --approval web` prints the page's URL on stderr,
// a real headless Chromium (Debian's chromium-headless-shell over the DevTools pipe) opens it and
// clicks the buttons, and the test checks what the server ran and what the audit log says. In
// process: the page's defences (token, Host, Origin, Sec-Fetch-Site, CSRF value, body limits,
// escaping, headers) against hand-made requests.
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalAnswer, ApprovalRequest } from '../../src/guard/index.js';
import { WebChannel } from '../../src/proxy/approval/web.js';
import { Browser, findBrowser } from '../helpers/browser.js';
import { connectThroughProxy, ensureBuilt, tempDir } from './helpers.js';

type Result = { content: { type: string; text?: string }[]; isError?: boolean };
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');
const browserBinary = findBrowser();

async function until<T>(get: () => T | undefined, label: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// The browser is the point of this test: CI installs it (.ci/run); only a machine without the
// binary skips, and says so.
describe.skipIf(!browserBinary)('approval page in a real headless browser', () => {
  const dir = tempDir();
  let browser: Browser | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    ensureBuilt();
    browser = await Browser.launch();
  }, 300_000);
  afterAll(async () => {
    for (const c of cleanups) await c().catch(() => undefined);
    await browser?.close();
  });

  it('approve once, asked again, deny, approve for the session, reused, expired and asked again', {
    timeout: 120_000,
  }, async () => {
    const audit = join(dir, 'web.jsonl');
    const destroyed = join(dir, 'web-destroyed.log');
    const { client, stderr } = await connectThroughProxy({
      proxyArgs: ['--audit', audit, '--approval', 'web', '--approval-timeout', '30s', '--approval-ttl', '3s'],
      server: 'destructive.mjs',
      env: { DESTROYED_LOG: destroyed },
    });
    cleanups.push(() => client.close());
    const page = await (browser as Browser).newPage();
    const announced = () => stderr().split('approval needed for ').length - 1;
    /** Waits for the n-th question to be announced, opens the page, clicks `decision` on it. */
    const answer = async (n: number, decision: 'once' | 'session' | 'deny', expectText: string) => {
      await until(() => (announced() >= n ? true : undefined), `announcement ${n}`);
      const url = /open (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/)/.exec(stderr())?.[1];
      expect(url).toBeDefined();
      await page.goto(url as string);
      const shown = await page.text();
      expect(shown).toContain(expectText);
      await page.click(`form button[value="${decision}"]`);
      return page.text();
    };

    const del = { name: 'delete_file', arguments: { path: 'notes.txt' } };
    const first = client.callTool(del);
    const after = await answer(1, 'once', 'files/delete_file');
    expect(after).toMatch(/allowed \(once\)/);
    expect(after).toContain('Nothing is waiting');
    expect(((await first) as Result).isError).toBeFalsy();

    const second = client.callTool(del);
    expect(await answer(2, 'deny', 'notes.txt')).toMatch(/denied/);
    const denied = (await second) as Result;
    expect(denied.isError).toBe(true);
    expect(text(denied)).toMatch(/refused by web/);

    const purge = { name: 'purge_records', arguments: { table: 'customers' } };
    const third = client.callTool(purge);
    expect(await answer(3, 'session', 'customers')).toMatch(/allowed \(session\)/);
    expect(((await third) as Result).isError).toBeFalsy();
    expect(((await client.callTool(purge)) as Result).isError).toBeFalsy();
    expect(announced()).toBe(3); // reused without asking

    // Past --approval-ttl the session grant is gone: asked again (and denied this time).
    await new Promise((r) => setTimeout(r, 3200));
    const expired = client.callTool(purge);
    await answer(4, 'deny', 'customers');
    expect(((await expired) as Result).isError).toBe(true);

    await client.close();
    expect(existsSync(destroyed) ? readFileSync(destroyed, 'utf8').trim().split('\n') : []).toEqual([
      'delete notes.txt',
      'purge customers',
      'purge customers',
    ]);
    const records = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.meta?.phase === 'call' && r.method === 'tools/call');
    const answers = records
      .filter((r) => r.meta.approval === 'granted' || r.meta.approval === 'denied')
      .map((r) => [r.tool, r.decision, r.meta.approval, r.meta.scope, r.meta.channel]);
    expect(answers).toEqual([
      ['delete_file', 'allow', 'granted', 'once', 'web'],
      ['delete_file', 'deny', 'denied', 'once', 'web'],
      ['purge_records', 'allow', 'granted', 'session', 'web'],
      ['purge_records', 'deny', 'denied', 'once', 'web'],
    ]);
    expect(records.filter((r) => r.rule === 'approved' && r.meta.approval === undefined)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  url: URL,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => {
          body += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const approvalRequest = (tool: string): ApprovalRequest => ({
  call: {
    callId: 'c1',
    server: 'mail',
    tool,
    arguments: { to: 'bob@example.com', api_key: 'hunter2hunter2' },
  },
  verdict: {
    decision: 'require-approval',
    rule: 'rule-of-two',
    reason: 'untrusted + private + external',
    labels: [],
  },
  sessionId: 's1',
  approvalKey: 'k'.repeat(64),
});

describe('approval page defences (in process)', () => {
  it('refuses wrong tokens, hosts, origins, CSRF values, content types and oversized bodies; escapes what it shows', async () => {
    let url = '';
    const web = new WebChannel({
      announce: (line) => (url = /open (\S+)/.exec(line)?.[1] ?? ''),
      timeoutMs: 60_000,
    });
    const answered = web.ask(approvalRequest('<img src=x onerror=alert(1)>'));
    await until(() => (url ? true : undefined), 'the URL');
    const page = new URL(url);
    const origin = page.origin;
    const answerUrl = new URL('answer', page);

    const ok = await send(page, {});
    expect(ok.status).toBe(200);
    expect(ok.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(ok.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(ok.headers['referrer-policy']).toBe('same-origin');
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.body).not.toContain('<img src=x');
    expect(ok.body).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(ok.body).not.toContain('hunter2hunter2'); // secret-named argument masked
    const csrf = /name="csrf" value="([^"]+)"/.exec(ok.body)?.[1] as string;
    const id = /name="id" value="([^"]+)"/.exec(ok.body)?.[1] as string;
    expect(csrf).toBeTruthy();

    const wrongToken = new URL(page);
    wrongToken.pathname = `/${'A'.repeat(43)}/`;
    expect((await send(wrongToken, {})).status).toBe(404);
    expect((await send(page, { headers: { Host: `evil.example:${page.port}` } })).status).toBe(421);

    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const post = (headers: Record<string, string>, body = form({ csrf, id, decision: 'session' })) =>
      send(answerUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    expect((await post({})).status).toBe(403); // no Origin
    expect((await post({ Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ Origin: origin, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect(
      (await post({ Origin: origin }, form({ csrf: 'x'.repeat(43), id, decision: 'session' }))).status,
    ).toBe(403);
    expect((await post({ Origin: origin, 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post({ Origin: origin }, `csrf=${'a'.repeat(10_000)}`)).status).toBe(413);
    expect((await post({ Origin: origin }, form({ csrf, id: 'nope', decision: 'once' }))).status).toBe(410);
    expect((await send(answerUrl, {})).status).toBe(405);

    const good = await post({ Origin: origin, 'Sec-Fetch-Site': 'same-origin' });
    expect(good.status).toBe(303);
    expect(await answered).toEqual<ApprovalAnswer>({ granted: true, scope: 'session', by: 'web' });
    // Answered once: the same form again finds nothing waiting.
    expect((await post({ Origin: origin })).status).toBe(410);

    const pendingAtClose = web.ask(approvalRequest('delete_all'));
    await web.close();
    expect(await pendingAtClose).toMatchObject({ granted: false, by: 'web' });
  });

  it('an aborted question (the chain timed out) leaves the page and denies', async () => {
    const web = new WebChannel();
    const stop = new AbortController();
    const asked = web.ask(approvalRequest('send_email'), stop.signal);
    await until(() => (web.url.startsWith('http') ? true : undefined), 'start');
    stop.abort();
    expect(await asked).toMatchObject({ granted: false, by: 'web' });
    const page = await send(new URL(web.url), {});
    expect(page.body).toContain('Nothing is waiting');
    await web.close();
  });
});
