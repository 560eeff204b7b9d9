// The host side of the egress bridge, driven directly over its Unix socket: decisions, forwarding,
// DNS rebinding through an injected resolver, and hostile request heads that must never crash it.

import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EgressProxy, startEgressProxy } from '../../src/sandbox/egress/proxy.js';

let web: Server;
let port: number;
let proxy: EgressProxy;

/** Sends raw bytes to the proxy and returns everything it answers until it closes (or 5 s pass). */
function exchange(data: string | Buffer, after?: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ path: proxy.socketPath });
    const chunks: Buffer[] = [];
    let sentAfter = false;
    s.on('data', (c: Buffer) => {
      chunks.push(c);
      if (after && !sentAfter && Buffer.concat(chunks).includes('\r\n\r\n')) {
        sentAfter = true;
        s.write(after);
      }
    });
    s.on('error', () => undefined);
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    s.on('close', done);
    setTimeout(() => {
      s.destroy();
      done();
    }, 5000).unref();
    s.write(data);
  });
}

beforeAll(async () => {
  web = createServer((req, res) => {
    res.setHeader('connection', 'close');
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  port = (web.address() as { port: number }).port;
  proxy = startEgressProxy({
    allow: [
      { host: '127.0.0.1', port },
      { host: 'rebind.test', port },
      { host: 'mixed.test', port },
      { host: 'gone.test', port },
      { host: 'via-listed.test', port },
    ],
    resolve: async (host) => {
      if (host === 'rebind.test') return ['127.0.0.2'];
      if (host === 'mixed.test') return ['93.184.215.14', '10.0.0.1'];
      if (host === 'via-listed.test') return ['127.0.0.1'];
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    },
  });
});

afterAll(async () => {
  await proxy.close();
  web.close();
});

describe('egress proxy (host side)', () => {
  it('tunnels CONNECT to a listed host:port and records the decision', async () => {
    const out = await exchange(
      `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      'GET /tunnelled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(out).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 200 OK/);
    expect(out).toContain('"url":"/tunnelled"');
    expect(proxy.events.at(-1)).toMatchObject({
      method: 'CONNECT',
      host: '127.0.0.1',
      port,
      allowed: true,
      reason: 'listed',
      address: '127.0.0.1',
    });
  });

  it('forwards plain HTTP in origin form with its own Host header and without proxy credentials', async () => {
    const out = await exchange(
      `GET http://127.0.0.1:${port}/plain?q=1 HTTP/1.1\r\nHost: evil.example\r\nProxy-Authorization: Basic c2VjcmV0\r\nX-Keep: yes\r\n\r\n`,
    );
    const body = JSON.parse(out.slice(out.indexOf('\r\n\r\n') + 4)) as {
      url: string;
      headers: Record<string, string>;
    };
    expect(body.url).toBe('/plain?q=1');
    expect(body.headers.host).toBe(`127.0.0.1:${port}`);
    expect(body.headers['proxy-authorization']).toBeUndefined();
    expect(body.headers['x-keep']).toBe('yes');
    expect(body.headers.connection).toBe('close');
  });

  it('refuses unlisted hosts and ports without resolving them', async () => {
    const before = proxy.events.length;
    const a = await exchange('CONNECT example.com:443 HTTP/1.1\r\n\r\n');
    expect(a).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect(a).toContain('host not in the allowlist');
    const b = await exchange(`GET http://127.0.0.1:${port + 1}/ HTTP/1.1\r\n\r\n`);
    expect(b).toMatch(/^HTTP\/1\.1 403/);
    expect(proxy.events.slice(before).map((e) => [e.host, e.allowed, e.reason])).toEqual([
      ['example.com', false, 'host not in the allowlist'],
      ['127.0.0.1', false, `port ${port + 1} not allowed for 127.0.0.1`],
    ]);
  });

  it('refuses a listed name that resolves to a loopback address (DNS rebinding), and reports failed DNS', async () => {
    const out = await exchange(`CONNECT rebind.test:${port} HTTP/1.1\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 403/);
    expect(proxy.events.at(-1)).toMatchObject({
      host: 'rebind.test',
      allowed: false,
      address: '127.0.0.2',
      reason: 'rebind.test resolves to non-public address 127.0.0.2; list the address itself to allow it',
    });
    // One non-public address among public ones is enough to refuse (nothing is dialled).
    expect(await exchange(`CONNECT mixed.test:${port} HTTP/1.1\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403/);
    expect(proxy.events.at(-1)).toMatchObject({ host: 'mixed.test', allowed: false, address: '10.0.0.1' });
    // A name whose address is itself listed (127.0.0.1:port) is allowed, and the checked address is dialled.
    const listed = await exchange(`GET http://via-listed.test:${port}/v HTTP/1.1\r\n\r\n`);
    expect(listed).toContain('"url":"/v"');
    expect(proxy.events.at(-1)).toMatchObject({
      host: 'via-listed.test',
      allowed: true,
      address: '127.0.0.1',
    });
    const gone = await exchange(`CONNECT gone.test:${port} HTTP/1.1\r\n\r\n`);
    expect(gone).toMatch(/^HTTP\/1\.1 502/);
    expect(proxy.events.at(-1)).toMatchObject({
      host: 'gone.test',
      allowed: false,
      reason: 'DNS resolution failed: ENOTFOUND',
    });
  });

  it('answers hostile request heads with 4xx and keeps serving', async () => {
    const cases: [string | Buffer, RegExp][] = [
      ['garbage\r\n\r\n', /^HTTP\/1\.1 400/],
      ['CONNECT :80 HTTP/1.1\r\n\r\n', /^HTTP\/1\.1 400/],
      ['CONNECT [::1 HTTP/1.1\r\n\r\n', /^HTTP\/1\.1 400/],
      ['CONNECT a.test:99999 HTTP/1.1\r\n\r\n', /^HTTP\/1\.1 400/],
      ['CONNECT a.test:b HTTP/1.1\r\n\r\n', /^HTTP\/1\.1 400/],
      ['CONNECT a\0b:80 HTTP/1.1\r\n\r\n', /^HTTP\/1\.1 400/],
      ['CONNECT user@127.0.0.1:80 HTTP/1.1\r\n\r\n', /^HTTP\/1\.1 400/],
      [`GET http://127.0.0.1:${port}/${'a'.repeat(9000)} HTTP/1.1\r\n\r\n`, /^HTTP\/1\.1 4(00|31)/],
      [`GET /relative HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, /^HTTP\/1\.1 400/],
      [`GET https://127.0.0.1:${port}/ HTTP/1.1\r\n\r\n`, /^HTTP\/1\.1 400/],
      [`GET http://u:p@127.0.0.1:${port}/ HTTP/1.1\r\n\r\n`, /^HTTP\/1\.1 400/],
      [`GET http://127.0.0.1:${port}/ HTTP/1.1\r\n bad fold\r\n\r\n`, /^HTTP\/1\.1 400/],
      [`GET http://127.0.0.1:${port}/ HTTP/1.1\r\n${'X-A: b\r\n'.repeat(200)}\r\n`, /^HTTP\/1\.1 431/],
      [`GET http://127.0.0.1:${port}/ HTTP/1.1\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, /^HTTP\/1\.1 431/],
      [Buffer.alloc(1024 * 1024, 0x41), /^HTTP\/1\.1 431/], // no line end at all
      [Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]), /^HTTP\/1\.1 400/],
    ];
    const outs = await Promise.all(cases.map(([data]) => exchange(data)));
    for (const [i, out] of outs.entries())
      expect(out, String(cases[i]?.[0]).slice(0, 60)).toMatch(cases[i]?.[1] as RegExp);
    // A client that hangs up mid-head is simply dropped.
    const s = connect({ path: proxy.socketPath });
    s.on('error', () => undefined);
    s.end('CONNECT 127.0.0.1');
    // Still alive and correct afterwards.
    const ok = await exchange(`GET http://127.0.0.1:${port}/still HTTP/1.1\r\n\r\n`);
    expect(ok).toContain('"url":"/still"');
  });

  it('removes its socket directory on close', async () => {
    const p = startEgressProxy({ allow: [] });
    expect(existsSync(p.socketPath)).toBe(true);
    await p.close();
    expect(existsSync(p.dir)).toBe(false);
  });
});
