// Shared helpers for the proxy tests: build once, start `portcullis proxy` around a fixture server
// with the real SDK client over real stdio, or drive it with raw JSON-RPC lines.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

export const bin = new URL('../../bin/portcullis.js', import.meta.url).pathname;
export const runDist = new URL('../fixtures/servers/proxy/run-dist.mjs', import.meta.url).pathname;
export const servers = new URL('../fixtures/servers/proxy/', import.meta.url).pathname;
export const node = process.execPath;

/** Builds dist/ through the launcher when sources changed (once per file; the machine is shared). */
export function ensureBuilt(): void {
  const r = spawnSync(node, [bin, '--version'], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pc-proxy-'));
}

export interface Connected {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
}

/** The SDK client connected to `portcullis proxy [proxyArgs] -- node <server> [serverArgs]`. */
export async function connectThroughProxy(options: {
  proxyArgs: string[];
  server: string;
  serverArgs?: string[];
  env?: Record<string, string>;
  /** Start through bin/portcullis.js instead of the built dist. */
  launcher?: boolean;
  era?: 'legacy' | '2026-07-28';
  capabilities?: ConstructorParameters<typeof Client>[1] extends infer O
    ? O extends { capabilities?: infer C }
      ? C
      : never
    : never;
  /** Called on notifications/tools/list_changed (on the 2026-07-28 era it arrives on a listen stream). */
  onToolsChanged?: () => void;
}): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: node,
    args: [
      options.launcher ? bin : runDist,
      'proxy',
      ...options.proxyArgs,
      '--',
      node,
      join(servers, options.server),
      ...(options.serverArgs ?? []),
    ],
    env: { ...(process.env as Record<string, string>), ...(options.env ?? {}) },
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const client = new Client(
    { name: 'proxy-test', version: '1.0.0' },
    {
      ...(options.capabilities ? { capabilities: options.capabilities } : {}),
      ...(options.onToolsChanged
        ? { listChanged: { tools: { autoRefresh: false, debounceMs: 0, onChanged: options.onToolsChanged } } }
        : {}),
      ...(options.era && options.era !== 'legacy'
        ? { versionNegotiation: { mode: { pin: options.era } } }
        : {}),
    },
  );
  await client.connect(transport, { timeout: options.launcher ? 360_000 : 60_000 });
  return { client, transport, stderr: () => err };
}

/** The SDK client connected straight to a fixture server, for comparison. */
export async function connectDirect(server: string, env: Record<string, string> = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: node,
    args: [join(servers, server)],
    env: { ...(process.env as Record<string, string>), ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'direct-test', version: '1.0.0' });
  await client.connect(transport, { timeout: 60_000 });
  return client;
}

/** A proxy driven with raw JSON-RPC lines, for the paths an SDK client never produces. */
export class RawProxy {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiters: {
    match: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  readonly messages: Record<string, unknown>[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(proxyArgs: string[], server: string, env: Record<string, string> = {}) {
    this.child = spawn(node, [runDist, 'proxy', ...proxyArgs, '--', node, join(servers, server)], {
      env: { ...process.env, ...env },
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.child.stdout.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      let nl = this.buffer.indexOf('\n');
      while (nl !== -1) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        nl = this.buffer.indexOf('\n');
        const msg = JSON.parse(line) as Record<string, unknown>;
        this.messages.push(msg);
        const i = this.waiters.findIndex((w) => w.match(msg));
        if (i !== -1) this.waiters.splice(i, 1)[0]?.resolve(msg);
      }
    });
  }

  write(text: string): void {
    this.child.stdin.write(text);
  }

  send(message: Record<string, unknown>): void {
    this.write(`${JSON.stringify(message)}\n`);
  }

  /** The first message (already received or still to come) that matches. */
  next(match: (m: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const seen = this.messages.find(match);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`no matching message in ${timeoutMs} ms; stderr:\n${this.stderr}`)),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(t);
          this.messages.splice(this.messages.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  }

  response(id: unknown, timeoutMs?: number): Promise<Record<string, unknown>> {
    return this.next((m) => m.id === id && !('method' in m), timeoutMs);
  }

  async initialize(): Promise<void> {
    this.send({
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    const r = await this.response('init', 60_000);
    if (!r.result) throw new Error(`initialize failed: ${JSON.stringify(r)}`);
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }
}

/** Whether a process is alive (signal 0 probes without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed process whose parent is gone may linger as a zombie until init reaps it.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
