// Asking on the terminal that started the proxy. stdin and stdout carry JSON-RPC, so the question
// goes to /dev/tty (the controlling terminal) and the answer is read from it. The terminal is read
// only while a question is open, one question at a time; everything shown is made inert first.

import { closeSync, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import tty from 'node:tty';
import type { ApprovalAnswer, ApprovalChannel, ApprovalRequest } from '../../guard/index.js';
import { inert, viewOf } from './describe.js';

/** A line-oriented terminal: `input` is read only between resume() and pause(). */
export interface TerminalStreams {
  input: NodeJS.ReadableStream & { pause(): unknown; resume(): unknown };
  output: Writable;
  close(): void;
}

/** Opens /dev/tty for reading and writing; undefined when the process has no controlling terminal. */
export function openControllingTerminal(path = '/dev/tty'): TerminalStreams | undefined {
  let rfd: number | undefined;
  let wfd: number | undefined;
  try {
    rfd = openSync(path, 'r');
    wfd = openSync(path, 'w');
    if (!tty.isatty(rfd)) throw new Error('not a terminal');
  } catch {
    for (const fd of [rfd, wfd]) if (fd !== undefined) closeSync(fd);
    return undefined;
  }
  const input = new tty.ReadStream(rfd);
  const output = new tty.WriteStream(wfd);
  // Neither keeps the proxy alive; stdin (the client) does.
  input.unref();
  output.unref();
  input.pause();
  return {
    input,
    output,
    close: () => {
      input.destroy();
      output.destroy();
    },
  };
}

export interface TerminalChannelOptions {
  /** Opens the terminal (default: /dev/tty). Called once, on first use. */
  open?: () => TerminalStreams | undefined;
  /**
   * `always`: use the terminal whenever one can be opened (`--approval terminal`).
   * `stderr-tty` (auto mode): only when stderr is that terminal too, i.e. the client left the proxy
   * on the terminal; a client that captures stderr (an IDE, an agent with its own screen) is not
   * interrupted on a terminal it may be drawing on.
   */
  when?: 'always' | 'stderr-tty';
  stderrIsTty?: () => boolean;
  /** How long the human has, for the prompt text only (the chain enforces it). */
  timeoutMs?: number;
}

export function parseTerminalAnswer(line: string): { granted: boolean; scope: 'once' | 'session' } {
  const a = line.trim().toLowerCase();
  if (a === 'y' || a === 'yes' || a === 'o' || a === 'once') return { granted: true, scope: 'once' };
  if (a === 's' || a === 'session') return { granted: true, scope: 'session' };
  return { granted: false, scope: 'once' };
}

export class TerminalChannel implements ApprovalChannel {
  readonly name = 'terminal';
  private streams: TerminalStreams | undefined;
  private opened = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TerminalChannelOptions = {}) {}

  available(): boolean {
    if (
      this.options.when === 'stderr-tty' &&
      !(this.options.stderrIsTty ?? (() => process.stderr.isTTY === true))()
    )
      return false;
    return this.terminal() !== undefined;
  }

  private terminal(): TerminalStreams | undefined {
    if (!this.opened) {
      this.opened = true;
      this.streams = (this.options.open ?? openControllingTerminal)();
    }
    return this.streams;
  }

  ask(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    // One question at a time: a second waits for the first to be answered.
    const turn = this.queue.then(() => this.askNow(request, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private askNow(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const t = this.terminal();
    if (!t) return Promise.resolve({ granted: false, scope: 'once', by: this.name, reason: 'no terminal' });
    if (signal?.aborted)
      return Promise.resolve({ granted: false, scope: 'once', by: this.name, reason: 'not asked in time' });
    const v = viewOf(request);
    const seconds = this.options.timeoutMs
      ? ` (no answer in ${Math.round(this.options.timeoutMs / 1000)} s denies)`
      : '';
    t.output.write(
      [
        '',
        '┌ portcullis: approval required',
        `│ server:    ${inert(v.server, 200)}`,
        `│ tool:      ${inert(v.tool, 200)}`,
        `│ rule:      ${inert(v.rule, 200)}`,
        `│ reason:    ${inert(v.reason)}`,
        `│ arguments: ${inert(v.args)}`,
        `└ Allow? [y] once, [s] for this session, [N] deny${seconds}: `,
      ].join('\n'),
    );
    return new Promise<ApprovalAnswer>((resolve) => {
      let line = '';
      const finish = (answer: ApprovalAnswer, note?: string) => {
        t.input.removeListener('data', onData);
        t.input.removeListener('end', onEnd);
        signal?.removeEventListener('abort', onAbort);
        t.input.pause();
        if (note) t.output.write(note);
        resolve(answer);
      };
      const onData = (chunk: Buffer | string) => {
        line += chunk.toString();
        if (line.length > 1000) line = line.slice(-1000);
        const nl = line.search(/[\r\n]/);
        if (nl === -1) return;
        const parsed = parseTerminalAnswer(line.slice(0, nl));
        finish(
          { ...parsed, by: this.name },
          parsed.granted ? `  → allowed (${parsed.scope})\n` : '  → denied\n',
        );
      };
      const onEnd = () =>
        finish({ granted: false, scope: 'once', by: this.name, reason: 'the terminal closed' }, '');
      const onAbort = () =>
        finish({ granted: false, scope: 'once', by: this.name }, '\n  → no answer: denied\n');
      t.input.on('data', onData);
      t.input.once('end', onEnd);
      signal?.addEventListener('abort', onAbort, { once: true });
      t.input.resume();
    });
  }

  close(): void {
    this.streams?.close();
    this.streams = undefined;
  }
}
