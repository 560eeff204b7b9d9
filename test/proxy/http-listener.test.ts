// The HTTP listener's own defences, driven with raw HTTP (what SDK clients never send): Host and
// Origin checks against DNS rebinding, bounded bodies, malformed JSON, unknown sessions, slow
// headers. Each refusal is answered with a JSON-RPC error and recorded in the audit log, and the
// proxy keeps serving real clients afterwards.
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import type { HttpProxy } from '../../src/proxy/http.js';
import { checkHeaders, isLoopback, listenerPolicy, parseListen } from '../../src/proxy/http-guard.js';
import { tempDir } from './helpers.js';
import { connectHttp, type Result, records, startProxy, text } from './http-helpers.js';

const dir = tempDir();
const audit = join(dir, 'listener.jsonl');
const MAX = 64 * 1024;
let proxy: HttpProxy;
let logs: string[];
beforeAll(async () => {
  ({ proxy, logs } = await startProxy(audit, 'mail-stdio', {
    maxMessageBytes: MAX,
    allowOrigins: ['https://app.example'],
    headersTimeoutMs: 1_000,
  }));
}, 60_000);
afterAll(async () => {
  await proxy?.close();
});

interface Answer {
  status: number;
  body: string;
}

/** One request with exactly these headers (node:http lets a test set Host and Origin freely). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<Answer> {
  const { port } = proxy.address;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let data = '';
      res.on('data', (d: Buffer) => {
        data += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
const init = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const json = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const local = () => ({ host: `127.0.0.1:${proxy.address.port}`, ...json });

describe('HTTP listener defences', () => {
  it('refuses a foreign Host (DNS rebinding) and foreign or opaque Origins; allows loopback and listed origins', async () => {
    const foreignHost = await raw(
      'POST',
      '/mcp',
      { ...local(), host: `attacker.example:${proxy.address.port}` },
      init,
    );
    expect(foreignHost.status).toBe(403);
    expect(JSON.parse(foreignHost.body).error.message).toMatch(/Host .* is not this listener/);
    for (const origin of [
      'http://attacker.example',
      'null',
      'file://x',
      'http://127.0.0.1.attacker.example',
    ]) {
      const r = await raw('POST', '/mcp', { ...local(), origin }, init);
      expect(r.status, origin).toBe(403);
    }
    for (const origin of ['http://localhost:6274', 'http://127.0.0.1', 'https://app.example']) {
      const r = await raw('POST', '/mcp', { ...local(), origin }, init);
      expect(r.status, origin).toBe(200);
    }
    const localhostName = await raw(
      'POST',
      '/mcp',
      { ...local(), host: `localhost:${proxy.address.port}` },
      init,
    );
    expect(localhostName.status).toBe(200);
  });

  it('refuses oversize bodies (declared or streamed), wrong media types, paths and methods', async () => {
    const big = Buffer.alloc(MAX + 1, 0x20);
    const declared = await raw('POST', '/mcp', local(), big);
    expect(declared.status).toBe(413);
    const chunked = await raw('POST', '/mcp', { ...local(), 'transfer-encoding': 'chunked' }, big);
    expect(chunked.status).toBe(413);
    expect((await raw('POST', '/mcp', { ...local(), 'content-type': 'text/plain' }, ping)).status).toBe(415);
    expect((await raw('POST', '/other', local(), ping)).status).toBe(404);
    expect((await raw('PUT', '/mcp', local(), ping)).status).toBe(405);
  });

  it('answers malformed JSON and non-messages with errors, never a crash', async () => {
    const bodies = [
      '{"jsonrpc":"2.0","id":1,"method":',
      '',
      '42',
      'null',
      '"text"',
      '[]',
      '[1,2,3]',
      `${'['.repeat(200_000)}${']'.repeat(200_000)}`.slice(0, MAX - 1),
      '{"jsonrpc":"2.0","id":{"a":1},"method":"tools/call"}',
      '{"__proto__":{"polluted":true},"jsonrpc":"2.0","id":1,"method":"ping"}',
      '\u0000\u0001\u0002',
    ];
    for (const b of bodies) {
      const r = await raw('POST', '/mcp', local(), b);
      expect(r.status, b.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(r.status, b.slice(0, 40)).toBeLessThan(500);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const parse = await raw('POST', '/mcp', local(), '{"jsonrpc":');
    expect(JSON.parse(parse.body).error.code).toBe(-32700);
  });

  it('refuses unknown 2025 sessions and session-less non-initialize requests', async () => {
    const unknown = await raw('POST', '/mcp', { ...local(), 'mcp-session-id': 'not-a-session' }, ping);
    expect(unknown.status).toBe(404);
    const noSession = await raw('POST', '/mcp', local(), ping);
    expect(noSession.status).toBe(400);
    expect((await raw('GET', '/mcp', { host: local().host, accept: 'text/event-stream' })).status).toBe(400);
  });

  it('drops a connection whose headers never finish', { timeout: 15_000 }, async () => {
    const socket = connect(proxy.address.port, '127.0.0.1');
    socket.write('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const t0 = Date.now();
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(Date.now() - t0).toBeLessThan(8_000);
  });

  it('records every refusal, and still serves a real client afterwards', { timeout: 30_000 }, async () => {
    const client = await connectHttp(proxy.url, '2026-07-28');
    const r = (await client.callTool({ name: 'echo', arguments: { text: 'still here' } })) as Result;
    expect(text(r)).toBe('still here');
    await client.close();
    const rules = new Set(
      records(audit)
        .filter((x) => x.decision === 'deny')
        .map((x) => x.rule),
    );
    for (const rule of [
      'http-host',
      'http-origin',
      'http-size',
      'http-media',
      'http-path',
      'http-method',
      'http-json',
      'http-session',
    ])
      expect(rules, rule).toContain(rule);
    expect(logs.some((l) => l.includes('refused'))).toBe(true);
  });
});

describe('listener configuration', () => {
  it('parses --listen and refuses nonsense with a usage error', () => {
    expect(parseListen('127.0.0.1:8931')).toEqual({ host: '127.0.0.1', port: 8931 });
    expect(parseListen('8931')).toEqual({ host: '127.0.0.1', port: 8931 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    for (const bad of ['', 'host:', ':99999', 'a b:1', '127.0.0.1:80:90', 'http://x:1'])
      expect(() => parseListen(bad), bad).toThrow(PortcullisError);
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.3.4.5', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.2', '10.0.0.1', 'example.com', '128.0.0.1'])
      expect(isLoopback(h), h).toBe(false);
  });

  it('allows the listen host and --allow-host names; refuses invalid --allow-origin at setup', () => {
    const policy = listenerPolicy({ host: '0.0.0.0', port: 1 }, ['proxy.lan'], []);
    expect(checkHeaders(policy, { host: 'proxy.lan:1' })).toBeUndefined();
    expect(checkHeaders(policy, { host: '0.0.0.0:1' })?.rule).toBe('http-host');
    expect(checkHeaders(policy, {})?.rule).toBe('http-host');
    expect(() => listenerPolicy({ host: '127.0.0.1', port: 1 }, [], ['*'])).toThrow(PortcullisError);
    expect(() => listenerPolicy({ host: '127.0.0.1', port: 1 }, [], ['not a url'])).toThrow(PortcullisError);
  });

  it('warns loudly when asked to bind a non-loopback address', { timeout: 60_000 }, async () => {
    const { proxy: open, logs: openLogs } = await startProxy(join(dir, 'open.jsonl'), 'mail-stdio', {
      listen: { host: '0.0.0.0', port: 0 },
    });
    try {
      expect(openLogs.filter((l) => l.includes('WARNING')).length).toBeGreaterThanOrEqual(2);
      expect(openLogs.join('\n')).toMatch(/NOT a loopback address/);
    } finally {
      await open.close();
    }
  });
});
