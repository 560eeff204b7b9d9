// Terminal approvals through a real pseudo-terminal: util-linux `script` gives `portcullis proxy` a
// controlling terminal (its stderr is that terminal too, so `--approval auto` picks it for a client
// without elicitation), while JSON-RPC runs over two extra pipes (fds 3 and 4) that `script` passes
// through. The test types answers into the terminal as a person would and reads what it shows.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import {
  Client,
  type JSONRPCMessage,
  ReadBuffer,
  serializeMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, node, runDist, servers, tempDir } from './helpers.js';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** The SDK's stdio framing over any pair of streams (here: the pipes `script` passes through). */
class PipeTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private readonly buffer = new ReadBuffer();
  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
  ) {}
  async start(): Promise<void> {
    this.input.on('data', (chunk: Buffer) => {
      this.buffer.append(chunk);
      for (let m = this.buffer.readMessage(); m; m = this.buffer.readMessage()) this.onmessage?.(m);
    });
    this.input.on('close', () => this.onclose?.());
    this.input.on('error', (e) => this.onerror?.(e));
  }
  async send(message: JSONRPCMessage): Promise<void> {
    this.output.write(serializeMessage(message));
  }
  async close(): Promise<void> {
    this.output.end();
  }
}

type Result = { content: { type: string; text?: string }[]; isError?: boolean };
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');

beforeAll(() => {
  if (hasScript) ensureBuilt();
}, 300_000);

// `script` is util-linux (Debian's essential bsdutils); without it there is no pty to drive.
describe.skipIf(!hasScript)('terminal approvals (real pseudo-terminal)', () => {
  const dir = tempDir();
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.pid && child.exitCode === null) child.kill('SIGKILL');
  });

  it('asks on /dev/tty: y once, asked again, n denies, s for the session, silence times out; secrets masked, escapes inert', {
    timeout: 120_000,
  }, async () => {
    const audit = join(dir, 'tty.jsonl');
    const destroyed = join(dir, 'tty-destroyed.log');
    const command = [
      'exec',
      node,
      runDist,
      'proxy',
      '--audit',
      audit,
      '--approval-timeout',
      '4s',
      '--',
      node,
      join(servers, 'destructive.mjs'),
      '0<&3',
      '1>&4',
    ].join(' ');
    child = spawn('script', ['-qfec', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, DESTROYED_LOG: destroyed, TERM: 'dumb' },
    });
    let screen = '';
    child.stdout?.on('data', (d: Buffer) => {
      screen += d.toString();
    });
    const prompts = () => screen.split('Allow? [y] once').length - 1;
    const waitFor = async (what: () => boolean, label: string) => {
      const until = Date.now() + 30_000;
      while (!what()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${label}; terminal shows:\n${screen}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const type = (keys: string) => child?.stdin?.write(keys);

    const client = new Client({ name: 'tty-test', version: '1.0.0' });
    await client.connect(new PipeTransport(child.stdio[4] as Readable, child.stdio[3] as Writable), {
      timeout: 60_000,
    });

    const del = { name: 'delete_file', arguments: { path: 'notes.txt\u001b[2J\u202e' } };
    const first = client.callTool(del);
    await waitFor(() => prompts() === 1, 'the first prompt');
    expect(screen).toContain('tool:      delete_file');
    expect(screen).toContain('server:    files');
    expect(screen).toContain('notes.txt\\u001b[2J\\u{202e}');
    expect(screen).not.toContain('\u001b[2J');
    type('y\r');
    expect(((await first) as Result).isError).toBeFalsy();

    const second = client.callTool(del);
    await waitFor(() => prompts() === 2, 'the second prompt');
    type('n\r');
    const denied = (await second) as Result;
    expect(denied.isError).toBe(true);
    expect(text(denied)).toMatch(/refused by terminal/);

    const purge = { name: 'purge_records', arguments: { table: 'customers' } };
    const third = client.callTool(purge);
    await waitFor(() => prompts() === 3, 'the third prompt');
    type('s\r');
    expect(((await third) as Result).isError).toBeFalsy();
    expect(((await client.callTool(purge)) as Result).isError).toBeFalsy();
    expect(prompts()).toBe(3); // the session grant was reused without asking

    const token = `ghp_${'A1b2C3d4'.repeat(5)}`;
    const silent = client.callTool({ name: 'delete_file', arguments: { path: token } });
    await waitFor(() => prompts() === 4, 'the fourth prompt');
    expect(screen).toContain('[masked]');
    expect(screen).not.toContain(token);
    const timedOut = (await silent) as Result;
    expect(timedOut.isError).toBe(true);
    expect(text(timedOut)).toMatch(/approval timed out/);
    await waitFor(() => screen.includes('no answer: denied'), 'the timeout note');

    await client.close();
    await new Promise((r) => child?.once('exit', r));
    expect(existsSync(destroyed) ? readFileSync(destroyed, 'utf8').trim().split('\n') : []).toEqual([
      'delete notes.txt\u001b[2J\u202e',
      'purge customers',
      'purge customers',
    ]);
    const answers = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.meta?.approval === 'granted' || r.meta?.approval === 'denied')
      .map((r) => [r.tool, r.meta.approval, r.meta.scope, r.meta.channel, r.meta.by]);
    expect(answers).toEqual([
      ['delete_file', 'granted', 'once', 'terminal', 'terminal'],
      ['delete_file', 'denied', 'once', 'terminal', 'terminal'],
      ['purge_records', 'granted', 'session', 'terminal', 'terminal'],
      ['delete_file', 'denied', 'once', 'terminal', 'timeout'],
    ]);
  });
});
