// `portcullis proxy --sandbox bwrap|gvisor -- node server.mjs`: a real MCP server (SDK) started in
// the sandbox behind the guard, driven by the real SDK client over real stdio. Tools list and call
// work through the sandbox; the server cannot read a host file an unsandboxed server can; egress
// works only to the listed host, through the proxy.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/sandbox/bwrap.js';
import { ensureBuilt, runDist } from '../proxy/helpers.js';
import { bwrapSkipReason } from './helpers.js';

const root = new URL('../../', import.meta.url).pathname;
const fixtures = join(root, 'test/sandbox/fixtures');
const server = join(fixtures, 'file-server.mjs');
const runscMissing = findExecutable('runsc') ? undefined : 'runsc not installed (apt-get install -y runsc)';

let dir: string;
let secret: string;
let web: Server;
let port = 0;
beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'pc-sbx-proxy-'));
  secret = join(dir, 'host-secret.txt');
  writeFileSync(secret, 'TOP-SECRET-HOST-FILE');
  web = createServer((req, res) => res.end(`web saw ${req.url}`));
  await new Promise<void>((ok) => web.listen(0, '127.0.0.1', ok));
  port = (web.address() as { port: number }).port;
}, 360_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((ok) => web.close(() => ok()));
});

async function connect(
  proxyArgs: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      runDist,
      'proxy',
      '--audit',
      join(dir, `audit-${Math.random()}.jsonl`),
      ...proxyArgs,
      '--',
      process.execPath,
      server,
    ],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...extraEnv },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const client = new Client({ name: 'sandbox-proxy-test', version: '1.0.0' });
  await client.connect(transport, { timeout: 90_000 });
  return { client, stderr: () => err };
}

const textOf = (r: unknown) => ((r as { content: { text: string }[] }).content[0]?.text ?? '') as string;
const binds = () => ['--sandbox-ro', fixtures, '--sandbox-ro', join(root, 'node_modules')];

describe.skipIf(bwrapSkipReason !== undefined)(
  `proxy without --sandbox (control)${bwrapSkipReason ? ` (skipped: ${bwrapSkipReason})` : ''}`,
  { timeout: 180_000 },
  () => {
    it('reads the host file, so the sandboxed runs below are a real difference', async () => {
      const { client } = await connect([]);
      try {
        expect(textOf(await client.callTool({ name: 'read_file', arguments: { path: secret } }))).toBe(
          'TOP-SECRET-HOST-FILE',
        );
      } finally {
        await client.close();
      }
    });
  },
);

for (const backend of ['bwrap', 'gvisor'] as const) {
  const skip = bwrapSkipReason ?? (backend === 'gvisor' ? runscMissing : undefined);
  describe.skipIf(skip !== undefined)(
    `portcullis proxy --sandbox ${backend}${skip ? ` (skipped: ${skip})` : ''}`,
    { timeout: 180_000 },
    () => {
      it('lists and calls tools through the sandbox; the server cannot read host files', async () => {
        const { client } = await connect(['--sandbox', backend, ...binds()]);
        try {
          const tools = await client.listTools();
          expect(tools.tools.map((t) => t.name).sort()).toEqual(['fetch_url', 'read_file', 'whereami']);
          const where = JSON.parse(textOf(await client.callTool({ name: 'whereami', arguments: {} })));
          expect(where).toEqual({ uid: 65534, hostname: 'sandbox', proxy: null, tokenLength: null });
          for (const path of [secret, '/etc/shadow', join(root, 'package.json')])
            expect(textOf(await client.callTool({ name: 'read_file', arguments: { path } })), path).toBe(
              'error ENOENT',
            );
          // Without --net there is no route out, not even to the host's loopback.
          expect(
            textOf(
              await client.callTool({ name: 'fetch_url', arguments: { url: `http://127.0.0.1:${port}/x` } }),
            ),
          ).toBe('error ECONNREFUSED');
        } finally {
          await client.close();
        }
      });

      it('with --net, reaches the listed host through the egress proxy and nothing else', async () => {
        const { client, stderr } = await connect([
          '--sandbox',
          backend,
          '--net',
          `127.0.0.1:${port}`,
          ...binds(),
        ]);
        try {
          expect(
            textOf(
              await client.callTool({ name: 'fetch_url', arguments: { url: `http://127.0.0.1:${port}/ok` } }),
            ),
          ).toBe('200 web saw /ok');
          const refused = textOf(
            await client.callTool({ name: 'fetch_url', arguments: { url: 'http://169.254.169.254/latest' } }),
          );
          expect(refused).toMatch(/^403 portcullis egress: 169\.254\.169\.254:80 refused/);
          expect(stderr()).toContain('egress refused: 169.254.169.254:80 (host not in the allowlist)');
        } finally {
          await client.close();
        }
      });
    },
  );
}

describe.skipIf(bwrapSkipReason !== undefined)(
  'proxy --sandbox with credentials',
  { timeout: 180_000 },
  () => {
    it('passes a secret the policy injects into the server environment through the sandbox', async () => {
      const policy = join(dir, 'cred-policy.yaml');
      writeFileSync(
        policy,
        'version: 1\nservers:\n  sandbox-files:\n    tools:\n      "*":\n        credentials:\n          - from: { env: PC_SBX_TOKEN }\n            inject: { env: SERVICE_TOKEN }\n',
      );
      const { client } = await connect(
        ['--name', 'sandbox-files', '--policy', policy, '--sandbox', 'bwrap', ...binds()],
        { PC_SBX_TOKEN: 'sbx-token-7Hq2LmN9pX' },
      );
      try {
        const where = JSON.parse(textOf(await client.callTool({ name: 'whereami', arguments: {} })));
        expect(where.tokenLength).toBe('sbx-token-7Hq2LmN9pX'.length);
      } finally {
        await client.close();
      }
    });
  },
);

describe.skipIf(bwrapSkipReason !== undefined)('proxy --sandbox refusals', { timeout: 120_000 }, () => {
  it('refuses before starting anything when the sandbox cannot run the command, with exit 2', () => {
    const missing = spawnSync(
      process.execPath,
      [runDist, 'proxy', '--sandbox', 'bwrap', '--', '/no/such/server'],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('command not found: /no/such/server');
    const stray = spawnSync(process.execPath, [runDist, 'proxy', '--net', 'example.com', '--', '/bin/true'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('--net and --sandbox-* need --sandbox bwrap|gvisor');
  });
});
