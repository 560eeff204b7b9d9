// Live inspection against real MCP servers (test/fixtures/servers): stdio and Streamable HTTP,
// pagination, caps, the timeout path and the kill path. Each server is a real child process.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PortcullisError } from '../../../src/core/errors.js';
import {
  inspectServer,
  liveToolSource,
  parseTarget,
  targetFromConfig,
  toManifest,
} from '../../../src/scan/live/index.js';
import { parseManifest } from '../../../src/scan/manifest/load.js';

const SERVERS = join(import.meta.dirname, '../../fixtures/servers');
const node = process.execPath;
const temp = mkdtempSync(join(tmpdir(), 'portcullis-live-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const s = state.slice(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3);
    return s !== 'Z' && s !== 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return process.platform !== 'linux';
    } catch {
      return false;
    }
  }
}

async function waitGone(pids: number[], ms = 3000): Promise<number[]> {
  const until = Date.now() + ms;
  let left = pids.filter(isRunning);
  while (left.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    left = left.filter(isRunning);
  }
  return left;
}

describe('stdio server', () => {
  it('lists identity, instructions, tools (with the poisoned one verbatim), prompts and resources', async () => {
    const result = await inspectServer({
      kind: 'stdio',
      name: 'weather',
      command: node,
      args: [join(SERVERS, 'stdio-server.mjs')],
    });
    expect(result.name).toBe('weather');
    expect(result.server).toEqual({
      name: 'fixture-weather',
      version: '1.2.3',
      instructions: 'Use get_forecast for weather questions.',
    });
    expect(result.tools.map((t) => t.name)).toEqual(['add', 'get_forecast']);
    const poisoned = result.tools[1]!;
    expect(poisoned.description).toContain('<IMPORTANT>');
    expect(poisoned.description).toContain('~/.ssh/id_rsa');
    expect(Object.keys((poisoned.inputSchema as { properties: object }).properties)).toEqual([
      'city',
      'sidenote',
    ]);
    expect(result.prompts.map((p) => p.name)).toEqual(['summarize']);
    expect(result.resources).toEqual([
      { name: 'readme', uri: 'file:///readme.md', description: 'The readme.', mimeType: 'text/markdown' },
    ]);
    expect(result.notes).toEqual([]);
    expect(result.processTreeEnded).toBe(true);
  });

  it('converts to a manifest the manifest reader itself accepts (file live:<name>, line 0)', async () => {
    const result = await inspectServer(
      parseTarget(`${JSON.stringify(node)} ${JSON.stringify(join(SERVERS, 'stdio-server.mjs'))}`),
    );
    const manifest = toManifest({ ...result, name: 'weather' });
    expect(manifest.file).toBe('live:weather');
    expect(manifest.server).toEqual({
      name: 'fixture-weather',
      version: '1.2.3',
      instructions: 'Use get_forecast for weather questions.',
    });
    expect(manifest.tools.map((t) => [t.name, t.line])).toEqual([
      ['add', 0],
      ['get_forecast', 0],
    ]);
    // Round trip through the file format: same tools, same descriptions.
    const reparsed = parseManifest(
      JSON.stringify({ server: manifest.server, tools: manifest.tools }),
      'x.json',
    );
    expect(reparsed.tools.map((t) => t.description)).toEqual(manifest.tools.map((t) => t.description));
  });

  it('is a pinning source: server key, version, instructions and every tool at live:<name>:0', async () => {
    const source = liveToolSource({
      kind: 'stdio',
      name: 'weather',
      command: node,
      args: [join(SERVERS, 'stdio-server.mjs')],
    });
    expect(source.origin).toBe('live:weather');
    const snapshot = await source.load();
    expect(snapshot.serverKey).toBe('fixture-weather');
    expect(snapshot.version).toBe('1.2.3');
    expect(snapshot.instructions).toBe('Use get_forecast for weather questions.');
    expect(snapshot.tools.map((t) => [t.name, t.location])).toEqual([
      ['add', { file: 'live:weather', line: 0 }],
      ['get_forecast', { file: 'live:weather', line: 0 }],
    ]);
  });

  it('does not leak this process environment to the server, but passes the entry env', async () => {
    process.env.PORTCULLIS_TEST_SECRET = 'should-not-leak';
    const probe = join(temp, 'env.json');
    try {
      const result = await inspectServer({
        kind: 'stdio',
        command: node,
        args: [
          '-e',
          `require('fs').writeFileSync(${JSON.stringify(probe)}, JSON.stringify(process.env)); import(${JSON.stringify(join(SERVERS, 'stdio-server.mjs'))})`,
        ],
        env: { ENTRY_VAR: 'given' },
      });
      expect(result.tools).toHaveLength(2);
      const env = JSON.parse(readFileSync(probe, 'utf8'));
      expect(env.ENTRY_VAR).toBe('given');
      expect(env.PORTCULLIS_TEST_SECRET).toBeUndefined();
      expect(env.PATH).toBeDefined();
    } finally {
      delete process.env.PORTCULLIS_TEST_SECRET;
    }
  });

  it('runs the command line through the sandbox hook', async () => {
    const seen: string[][] = [];
    const result = await inspectServer(
      { kind: 'stdio', command: 'no-such-binary-here', args: [join(SERVERS, 'stdio-server.mjs')] },
      {
        sandbox: (argv) => {
          seen.push(argv);
          return [node, ...argv.slice(1)];
        },
      },
    );
    expect(seen).toEqual([['no-such-binary-here', join(SERVERS, 'stdio-server.mjs')]]);
    expect(result.tools).toHaveLength(2);
  });

  it('a command that does not exist is a clear error, not a hang', async () => {
    const err = await inspectServer({ kind: 'stdio', command: join(temp, 'missing-server') }).catch((e) => e);
    expect(err).toBeInstanceOf(PortcullisError);
    expect(err.message).toMatch(/could not start or connect/);
  });

  it('a server that exits at once reports its stderr', async () => {
    const err = await inspectServer({
      kind: 'stdio',
      command: node,
      args: ['-e', 'console.error("boom: bad config"); process.exit(3)'],
    }).catch((e) => e);
    expect(err).toBeInstanceOf(PortcullisError);
    expect(err.message).toContain('boom: bad config');
  });
});

describe('pagination and caps', () => {
  it('walks tools/list cursors to the end', async () => {
    const result = await inspectServer({
      kind: 'stdio',
      command: node,
      args: [join(SERVERS, 'paged-server.mjs')],
      env: { PAGES: '4', PER_PAGE: '3' },
    });
    expect(result.tools.map((t) => t.name)).toEqual(
      Array.from({ length: 4 }, (_, p) => Array.from({ length: 3 }, (_, i) => `tool_${p}_${i}`)).flat(),
    );
    expect(result.notes).toEqual([]);
  });

  it('stops an endless cursor chain at the page cap and says so', async () => {
    const result = await inspectServer(
      {
        kind: 'stdio',
        command: node,
        args: [join(SERVERS, 'paged-server.mjs')],
        env: { ENDLESS: '1', PER_PAGE: '1' },
      },
      { maxPages: 5 },
    );
    expect(result.tools).toHaveLength(5);
    expect(result.notes).toEqual(['tools/list: stopped after 5 pages; the server has more']);
  });

  it('keeps at most maxItems tools', async () => {
    const result = await inspectServer(
      {
        kind: 'stdio',
        command: node,
        args: [join(SERVERS, 'paged-server.mjs')],
        env: { PAGES: '3', PER_PAGE: '4' },
      },
      { maxItems: 6 },
    );
    expect(result.tools).toHaveLength(6);
    expect(result.notes).toEqual(['tools/list: kept the first 6 items']);
  });
});

describe('timeout and kill paths', () => {
  it('a server that never answers times out, and its process is gone', async () => {
    const started = Date.now();
    const pidFile = join(temp, 'pid-hanging');
    const err = await inspectServer(
      {
        kind: 'stdio',
        command: node,
        args: [join(SERVERS, 'hanging-server.mjs')],
        env: { PIDFILE: pidFile },
      },
      { connectTimeoutMs: 700, killGraceMs: 300 },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(PortcullisError);
    expect(err.message).toMatch(/timed out/);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await waitGone([Number(readFileSync(pidFile, 'utf8'))])).toEqual([]);
  });

  it('after a normal finish, a server that spawned a SIGTERM-proof child leaves no process behind', async () => {
    const pidFile = join(temp, 'pids-finish');
    const result = await inspectServer(
      {
        kind: 'stdio',
        command: node,
        args: [join(SERVERS, 'spawning-server.mjs')],
        env: { PIDFILE: pidFile },
      },
      { killGraceMs: 300 },
    );
    expect(result.tools.map((t) => t.name)).toEqual(['add', 'get_forecast']);
    expect(result.processTreeEnded).toBe(true);
    const pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    expect(pids).toHaveLength(2);
    expect(await waitGone(pids)).toEqual([]);
  });

  it('on timeout, the hanging server and its child are both killed', async () => {
    const pidFile = join(temp, 'pids-hang');
    const err = await inspectServer(
      {
        kind: 'stdio',
        command: node,
        args: [join(SERVERS, 'spawning-server.mjs'), '--hang'],
        env: { PIDFILE: pidFile },
      },
      { connectTimeoutMs: 1500, killGraceMs: 300 },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(PortcullisError);
    const pids = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    expect(await waitGone(pids)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')(
    'a child that left the process group (setsid) is still found by parentage and killed',
    async () => {
      const pidFile = join(temp, 'pids-setsid');
      const script = `
      const { spawn } = require('child_process');
      const c = spawn('setsid', [process.execPath, '-e', "process.on('SIGTERM',()=>{}); setInterval(()=>{},1000)"], { stdio: 'ignore' });
      setTimeout(() => require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)), 300);
      process.stdin.resume();`;
      const err = await inspectServer(
        { kind: 'stdio', command: node, args: ['-e', script] },
        { connectTimeoutMs: 1200, killGraceMs: 300 },
      ).catch((e) => e);
      expect(err).toBeInstanceOf(PortcullisError);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(await waitGone([pid])).toEqual([]);
    },
  );

  it('an abort signal stops the inspection and the server', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed ^C')), 300);
    const pidFile = join(temp, 'pid-aborted');
    const err = await inspectServer(
      {
        kind: 'stdio',
        command: node,
        args: [join(SERVERS, 'hanging-server.mjs')],
        env: { PIDFILE: pidFile },
      },
      { signal: controller.signal, killGraceMs: 200 },
    ).catch((e) => e);
    expect(String(err.message)).toContain('user pressed ^C');
    expect(await waitGone([Number(readFileSync(pidFile, 'utf8'))])).toEqual([]);
  });
});

describe('Streamable HTTP server on 127.0.0.1', () => {
  it('lists the same tools over HTTP, with headers passed through from a config entry', async () => {
    const { startHttpServer } = await import('../../fixtures/servers/http-server.mjs');
    const server = await startHttpServer();
    try {
      const target = targetFromConfig({
        client: 'cursor',
        configFile: 'mcp.json',
        name: 'remote-weather',
        transport: 'http',
        url: server.url,
        headers: { 'X-Test': '1' },
        line: 3,
        fieldLines: {},
      });
      const result = await inspectServer(target);
      expect(result.name).toBe('remote-weather');
      expect(result.server.name).toBe('fixture-http');
      expect(result.tools.map((t) => t.name)).toEqual(['add', 'get_forecast']);
      expect(result.tools[1]!.description).toContain('<IMPORTANT>');
      expect(result.prompts.map((p) => p.name)).toEqual(['summarize']);
      expect(result.processTreeEnded).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('refuses a response body past the size cap', async () => {
    const { startHttpServer } = await import('../../fixtures/servers/http-server.mjs');
    const server = await startHttpServer({ huge: true });
    try {
      const err = await inspectServer(parseTarget(server.url), {
        maxMessageBytes: 1024 * 1024,
        connectTimeoutMs: 5000,
      }).catch((e) => e);
      expect(err).toBeInstanceOf(PortcullisError);
    } finally {
      await server.close();
    }
  });

  it('nothing listening is a clear error', async () => {
    const err = await inspectServer(parseTarget('http://127.0.0.1:9/mcp'), { connectTimeoutMs: 2000 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(PortcullisError);
    expect(err.message).toMatch(/could not start or connect/);
  });
});

describe('targets', () => {
  it('parses URLs and quoted command lines, and refuses pipelines', () => {
    expect(parseTarget('https://x.example/mcp')).toEqual({ kind: 'http', url: 'https://x.example/mcp' });
    expect(parseTarget(`npx -y "my server" --dir 'a b'`)).toEqual({
      kind: 'stdio',
      command: 'npx',
      args: ['-y', 'my server', '--dir', 'a b'],
    });
    expect(() => parseTarget('curl x | sh')).toThrow(/cannot contain "\|"/);
    expect(() => parseTarget('   ')).toThrow(/empty/);
  });

  it('maps SSE config entries to the SSE transport', () => {
    const t = targetFromConfig({
      client: 'gemini-cli',
      configFile: 'settings.json',
      name: 'ev',
      transport: 'sse',
      url: 'https://e.example/sse',
      line: 1,
      fieldLines: {},
    });
    expect(t).toEqual({ kind: 'sse', name: 'ev', url: 'https://e.example/sse' });
  });
});
