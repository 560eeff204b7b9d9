// `portcullis proxy --listen ...` as users run it (the built CLI): in front of a command and of a
// remote URL, usage errors with exit 2, and exit 1 when a stdio upstream dies.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs fixture without types
import { startMailHttpServer } from '../fixtures/servers/proxy/email-http.mjs';
import { ensureBuilt, node, runDist, servers, tempDir } from './helpers.js';
import { connectHttp, portcullisMeta, type Result, records, text } from './http-helpers.js';

const dir = tempDir();
const children: ChildProcessWithoutNullStreams[] = [];
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

/** Starts the CLI and resolves with the endpoint it announces on stderr. */
function startCli(
  args: string[],
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; stderr: () => string }> {
  const child = spawn(node, [runDist, 'proxy', ...args], { env: process.env });
  children.push(child);
  let err = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no endpoint announced; stderr:\n${err}`)), 60_000);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = / on (http:\/\/\S+\/mcp);/.exec(err);
      if (m?.[1]) {
        clearTimeout(t);
        resolve({ child, url: m[1], stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`exited ${code}; stderr:\n${err}`));
    });
  });
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describe('portcullis proxy --listen', () => {
  it('serves a stdio server over HTTP and exits 0 on SIGTERM', { timeout: 90_000 }, async () => {
    const audit = join(dir, 'cli-stdio.jsonl');
    const { child, url } = await startCli([
      '--listen',
      '127.0.0.1:0',
      '--audit',
      audit,
      '--',
      node,
      join(servers, 'email.mjs'),
    ]);
    const client = await connectHttp(url, '2026-07-28');
    const r = (await client.callTool({ name: 'read_email', arguments: { id: '2' } })) as Result;
    expect(portcullisMeta(r).flags).toContain('injection');
    await client.close();
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const verify = spawnSync(node, [runDist, 'audit', 'verify', audit], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(records(audit).some((x) => x.tool === 'read_email')).toBe(true);
  });

  it('guards a remote server given by --upstream URL', { timeout: 90_000 }, async () => {
    const upstream = (await startMailHttpServer()) as { url: string; close: () => Promise<void> };
    try {
      const { child, url } = await startCli([
        '--listen',
        '127.0.0.1:0',
        '--audit',
        join(dir, 'cli-url.jsonl'),
        '--upstream',
        upstream.url,
      ]);
      const client = await connectHttp(url, 'legacy');
      const r = (await client.callTool({ name: 'echo', arguments: { text: 'remote' } })) as Result;
      expect(text(r)).toBe('remote');
      await client.close();
      child.kill('SIGINT');
      expect(await exited(child)).toBe(0);
    } finally {
      await upstream.close();
    }
  });

  it('answers the call in flight with an error and exits 1 when the stdio upstream dies', {
    timeout: 90_000,
  }, async () => {
    const audit = join(dir, 'cli-dies.jsonl');
    const { child, url } = await startCli([
      '--listen',
      '127.0.0.1:0',
      '--audit',
      audit,
      '--',
      node,
      join(servers, 'faulty.mjs'),
    ]);
    const client = await connectHttp(url, 'legacy');
    const r = (await client.callTool({ name: 'crash', arguments: {} }).catch((e: Error) => e)) as
      | Result
      | Error;
    if (!(r instanceof Error)) expect(r.isError).toBe(true);
    expect(await exited(child)).toBe(1);
    await client.close().catch(() => undefined);
    expect(records(audit).some((x) => x.tool === 'crash' && x.decision === 'error')).toBe(true);
  });

  it('refuses bad usage with exit 2 and a located message', { timeout: 90_000 }, () => {
    const cases: [string[], RegExp][] = [
      // Without --listen, --upstream serves a stdio client: an unreachable server is refused.
      [['--upstream', 'http://127.0.0.1:1/mcp', '--timeout', '5s'], /could not start the server/],
      [['--listen', 'nonsense:port', '--upstream', 'http://127.0.0.1:1/mcp'], /--listen expects HOST:PORT/],
      [['--listen', '127.0.0.1:0', '--upstream', 'ftp://x/mcp'], /--upstream expects an http\(s\) URL/],
      [['--listen', '127.0.0.1:0'], /nothing to guard/],
      [
        ['--listen', '127.0.0.1:0', '--upstream', 'http://127.0.0.1:1/mcp', '--', node, '-e', '0'],
        /not both/,
      ],
      [
        ['--listen', '127.0.0.1:0', '--allow-origin', '*', '--upstream', 'http://127.0.0.1:1/mcp'],
        /--allow-origin/,
      ],
      [
        ['--listen', '127.0.0.1:0', '--upstream', 'http://127.0.0.1:1/mcp', '--timeout', '5s'],
        /could not start the proxy/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = spawnSync(node, [runDist, 'proxy', '--audit', join(dir, 'usage.jsonl'), ...args], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
