// A header credential end to end: a real Streamable HTTP server that answers 401 without
// `Authorization: Bearer <secret>`, reached through `portcullis proxy --upstream URL` by the real
// SDK client over stdio. The proxy reads the secret from a 0600 file and sends it as the header;
// the secret never reaches the client's wire, the proxy's stderr or the audit log, even when the
// server echoes it back.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs fixture without types
import { startBearerHttpServer } from '../fixtures/servers/proxy/bearer-http.mjs';
import { ensureBuilt, node, runDist, tempDir } from './helpers.js';
import { connectHttp, type Result } from './http-helpers.js';

const SECRET = 'vault_live_7Qm2xZ9pL4rT8wK1';
const dir = tempDir();
const tokenFile = join(dir, 'vault.token');
const policyFile = join(dir, 'policy.yaml');
let upstream: {
  url: string;
  seen: () => { authorized: number; refused: number };
  close: () => Promise<void>;
};

beforeAll(async () => {
  ensureBuilt();
  upstream = await startBearerHttpServer(SECRET);
  writeFileSync(tokenFile, `${SECRET}\n`, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  writeFileSync(
    policyFile,
    `version: 1
servers:
  "*":
    tools:
      "*":
        credentials:
          - from: { file: vault.token }
            inject: { header: Authorization, prefix: 'Bearer ' }
`,
  );
}, 300_000);
afterAll(async () => {
  await upstream?.close();
});

const env = () => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir });

describe('portcullis proxy --upstream URL with a header credential', () => {
  it('sends the secret as Authorization and keeps it off the client wire, stderr and the audit log', {
    timeout: 90_000,
  }, async () => {
    const audit = join(dir, 'vault.jsonl');
    const transport = new StdioClientTransport({
      command: node,
      args: [
        runDist,
        'proxy',
        '--policy',
        policyFile,
        '--audit',
        audit,
        '--approval',
        'none',
        '--upstream',
        upstream.url,
      ],
      env: env(),
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    // Everything the proxy writes to the client, as the client received it.
    const wire: string[] = [];
    let handler: ((m: unknown, extra?: unknown) => void) | undefined;
    Object.defineProperty(transport, 'onmessage', {
      configurable: true,
      get: () => handler,
      set: (fn: (m: unknown, extra?: unknown) => void) => {
        handler = (m, extra) => {
          wire.push(JSON.stringify(m));
          fn(m, extra);
        };
      },
    });
    const client = new Client({ name: 'header-cred', version: '1.0.0' });
    await client.connect(transport, { timeout: 60_000 });
    try {
      expect(client.getServerVersion()?.name).toBe('vault');
      const pong = (await client.callTool({ name: 'ping', arguments: {} })) as Result;
      expect(pong.content[0]?.text).toBe('pong');
      // The server echoes the header it got: the client sees the redaction marker, not the secret.
      const who = (await client.callTool({ name: 'whoami', arguments: {} })) as Result;
      expect(who.content[0]?.text).toBe('you are authorized as Bearer [REDACTED:credential]');
    } finally {
      await client.close();
    }
    expect(upstream.seen().authorized).toBeGreaterThan(2);
    expect(upstream.seen().refused).toBe(0);
    expect(wire.length).toBeGreaterThanOrEqual(3);
    const everything = [wire.join('\n'), stderr, readFileSync(audit, 'utf8')].join('\n');
    expect(everything).toContain('whoami');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 16));
  });

  it('sends it from the HTTP face too (--listen with --upstream URL)', { timeout: 90_000 }, async () => {
    const audit = join(dir, 'vault-http.jsonl');
    const child = spawn(
      node,
      [
        runDist,
        'proxy',
        '--policy',
        policyFile,
        '--audit',
        audit,
        '--approval',
        'none',
        '--listen',
        '127.0.0.1:0',
        '--upstream',
        upstream.url,
      ],
      { env: env() },
    );
    let stderr = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no endpoint announced; stderr:\n${stderr}`)), 60_000);
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const m = / on (http:\/\/\S+\/mcp);/.exec(stderr);
          if (m?.[1]) {
            clearTimeout(t);
            resolve(m[1]);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(t);
          reject(new Error(`exited ${code}; stderr:\n${stderr}`));
        });
      });
      const refusedBefore = upstream.seen().refused;
      const client = await connectHttp(url, 'legacy');
      try {
        const who = (await client.callTool({ name: 'whoami', arguments: {} })) as Result;
        expect(who.content[0]?.text).toBe('you are authorized as Bearer [REDACTED:credential]');
      } finally {
        await client.close();
      }
      expect(upstream.seen().refused).toBe(refusedBefore);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
    expect([stderr, readFileSync(audit, 'utf8')].join('\n')).not.toContain(SECRET);
  });

  it('without the policy the server refuses the proxy (the test server really requires the header)', {
    timeout: 60_000,
  }, async () => {
    const before = upstream.seen().refused;
    const transport = new StdioClientTransport({
      command: node,
      args: [
        runDist,
        'proxy',
        '--audit',
        join(dir, 'none.jsonl'),
        '--approval',
        'none',
        '--upstream',
        upstream.url,
      ],
      env: env(),
      stderr: 'pipe',
    });
    const client = new Client({ name: 'header-cred-none', version: '1.0.0' });
    let connected = false;
    try {
      await client.connect(transport, { timeout: 30_000 });
      connected = true;
      await client.listTools();
    } catch {
      // Refused: the proxy could not reach the server without its credential.
    } finally {
      await client.close();
    }
    expect(connected).toBe(false);
    expect(upstream.seen().refused).toBeGreaterThan(before);
  });

  it('refuses a header credential for a server command, with exit 2 and the header named', {
    timeout: 60_000,
  }, () => {
    const r = spawnSync(
      node,
      [runDist, 'proxy', '--policy', policyFile, '--', node, '-e', 'setTimeout(()=>{},1e5)'],
      {
        encoding: 'utf8',
        input: '',
        env: env(),
        timeout: 50_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /HTTP header Authorization, which only a remote server \(--upstream URL\) receives/,
    );
    expect(r.stderr).not.toContain(SECRET);
  });

  it('refuses it the same way for the HTTP face (--listen) with a server command', {
    timeout: 60_000,
  }, () => {
    const r = spawnSync(
      node,
      [
        runDist,
        'proxy',
        '--policy',
        policyFile,
        '--listen',
        '127.0.0.1:0',
        '--',
        node,
        '-e',
        'setTimeout(()=>{},1e5)',
      ],
      { encoding: 'utf8', input: '', env: env(), timeout: 50_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/HTTP header Authorization/);
  });
});
