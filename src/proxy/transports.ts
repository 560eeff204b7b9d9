// The two stdio transports of the proxy, both speaking the SDK's Transport interface so the SDK's
// Server and Client carry the protocol semantics on top of them:
// - ClientStdioTransport: the proxy's own stdin/stdout, facing the MCP client;
// - UpstreamProcessTransport: a child process in its own process group, facing the real server.
// Framing is ours (LineFramer) so that malformed and oversize frames are answered, not dropped.

import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { DEFAULT_MAX_MESSAGE_BYTES, type Frame, INVALID_REQUEST, LineFramer } from './framing.js';

export type FrameProblem = Exclude<Frame, { kind: 'message' }>;

function describe(problem: FrameProblem, max: number): string {
  return problem.kind === 'oversize'
    ? `message of ${problem.bytes} bytes exceeds the ${max}-byte limit`
    : problem.reason;
}

export interface ClientStdioOptions {
  input: Readable;
  output: Writable;
  maxMessageBytes?: number;
  /** Told about every frame that was refused (for the log). */
  onProblem?: (problem: FrameProblem, description: string) => void;
  /** Called once when the client's side closes (stdin ended or output failed). */
  onClosed?: () => void;
}

/** The proxy's face to its MCP client: newline-delimited JSON-RPC on stdin/stdout. */
export class ClientStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  private readonly framer: LineFramer;
  private readonly max: number;
  private closed = false;
  private started = false;

  constructor(private readonly options: ClientStdioOptions) {
    this.max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.framer = new LineFramer(this.max, (frame) => this.onFrame(frame));
  }

  private onFrame(frame: Frame): void {
    if (this.closed) return;
    if (frame.kind === 'message') {
      try {
        this.onmessage?.(frame.message as JSONRPCMessage);
      } catch (e) {
        this.onerror?.(e as Error);
      }
      return;
    }
    const description = describe(frame, this.max);
    this.options.onProblem?.(frame, description);
    const code = frame.kind === 'oversize' ? INVALID_REQUEST : frame.code;
    const id = frame.kind === 'oversize' ? null : frame.id;
    this.write({ jsonrpc: '2.0', id, error: { code, message: `portcullis: refused: ${description}` } });
  }

  private readonly onData = (chunk: Buffer) => this.framer.push(chunk);
  private readonly onEnd = () => {
    this.framer.end();
    void this.close();
  };
  private readonly onInputError = (e: Error) => {
    this.onerror?.(e);
    void this.close();
  };
  private readonly onOutputError = (e: Error) => {
    if (!this.closed) this.onerror?.(e);
    void this.close();
  };

  async start(): Promise<void> {
    if (this.started) throw new Error('ClientStdioTransport already started');
    this.started = true;
    const { input, output } = this.options;
    input.on('data', this.onData);
    input.on('end', this.onEnd);
    input.on('close', this.onEnd);
    input.on('error', this.onInputError);
    output.on('error', this.onOutputError);
    if (input.readableEnded || input.destroyed) setImmediate(this.onEnd);
  }

  private write(message: unknown): boolean {
    return this.options.output.write(`${JSON.stringify(message)}\n`);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('client transport is closed'));
    if (this.write(message)) return Promise.resolve();
    return new Promise((resolve) => this.options.output.once('drain', resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { input, output } = this.options;
    input.off('data', this.onData);
    input.off('end', this.onEnd);
    input.off('close', this.onEnd);
    input.off('error', this.onInputError);
    output.off('error', this.onOutputError);
    output.on('error', () => undefined); // late EPIPE after close is not news
    input.pause();
    this.onclose?.();
    this.options.onClosed?.();
  }
}

export interface UpstreamProcessOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  maxMessageBytes?: number;
  /** Where the child's stderr goes (default: the proxy's stderr). */
  stderr?: 'inherit' | 'ignore';
  /** Told about every frame from the upstream that was refused. */
  onProblem?: (problem: FrameProblem, description: string) => void;
  /** How long close() waits for a clean exit before signalling the process group. */
  graceMs?: number;
}

export interface UpstreamExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * The proxy's face to the real server: a child process started in its own process group, so the
 * whole tree it spawns is signalled together when the proxy ends.
 */
export class UpstreamProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  /** Set once the child has exited. */
  exit: UpstreamExit | undefined;
  private child: ChildProcess | undefined;
  private readonly framer: LineFramer;
  private readonly max: number;
  private closing: Promise<void> | undefined;
  private closedFired = false;
  private exited: Promise<void> | undefined;

  constructor(private readonly options: UpstreamProcessOptions) {
    this.max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.framer = new LineFramer(this.max, (frame) => this.onFrame(frame));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * The SDK client handles a notification in a microtask but a response at once, so a progress
   * note read in the same chunk as its call's result would be handled after the result and
   * dropped. A response that follows a notification in the same turn is delivered on the next
   * turn, after the notification's handlers ran; later frames wait behind it, in order.
   */
  private deferred: Frame[] | undefined;
  private notifiedThisTurn = false;

  private onFrame(frame: Frame): void {
    if (this.deferred) {
      this.deferred.push(frame);
      return;
    }
    if (frame.kind === 'message') {
      const m = frame.message as { method?: unknown; id?: unknown };
      const isNotification = typeof m.method === 'string' && m.id === undefined;
      if (!isNotification && m.method === undefined && this.notifiedThisTurn) {
        this.deferred = [frame];
        setImmediate(() => this.flushDeferred());
        return;
      }
      if (isNotification && !this.notifiedThisTurn) {
        this.notifiedThisTurn = true;
        setImmediate(() => {
          this.notifiedThisTurn = false;
        });
      }
    }
    this.deliver(frame);
  }

  private flushDeferred(): void {
    const frames = this.deferred ?? [];
    this.deferred = undefined;
    this.notifiedThisTurn = false;
    for (const f of frames) this.deliver(f);
  }

  private deliver(frame: Frame): void {
    if (frame.kind === 'message') {
      try {
        this.onmessage?.(frame.message as JSONRPCMessage);
      } catch (e) {
        this.onerror?.(e as Error);
      }
      return;
    }
    const description = describe(frame, this.max);
    this.options.onProblem?.(frame, description);
    // A refused frame that names a request id fails that request now instead of letting it time out.
    if (frame.kind === 'malformed' && frame.id !== null) {
      this.onmessage?.({
        jsonrpc: '2.0',
        id: frame.id,
        error: { code: -32603, message: `upstream sent a malformed message: ${description}` },
      } as JSONRPCMessage);
    }
  }

  start(): Promise<void> {
    if (this.child) throw new Error('UpstreamProcessTransport already started');
    const { command, args, env, cwd } = this.options;
    const child = spawn(command, args, {
      env: env ?? process.env,
      ...(cwd !== undefined ? { cwd } : {}),
      stdio: ['pipe', 'pipe', this.options.stderr ?? 'inherit'],
      detached: true, // own process group: kill(-pid) reaches every descendant
      windowsHide: true,
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
      child.once('error', () => resolve());
    });
    child.stdout?.on('data', (chunk: Buffer) => this.framer.push(chunk));
    child.stdout?.on('end', () => this.framer.end());
    child.stdin?.on('error', (e) => this.onerror?.(e));
    child.once('close', () => this.fireClose());
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (e) => {
        reject(e);
        this.fireClose();
      });
    });
  }

  private fireClose(): void {
    if (this.closedFired) return;
    this.closedFired = true;
    // Answers read before the server went away still reach their requests.
    if (this.deferred) this.flushDeferred();
    this.onclose?.();
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || this.exit)
      return Promise.reject(new Error('the upstream server is not running'));
    if (stdin.write(`${JSON.stringify(message)}\n`)) return Promise.resolve();
    return new Promise((resolve) => stdin.once('drain', resolve));
  }

  /** Sends a signal to the child's whole process group. */
  killTree(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        this.child?.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  /** Ends the child's stdin, waits for a clean exit, then signals the process group (TERM, KILL). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const child = this.child;
      if (!child || !this.exited) return this.fireClose();
      child.stdin?.end();
      const grace = this.options.graceMs ?? 2000;
      if (!this.exit && !(await within(this.exited, grace))) {
        this.killTree('SIGTERM');
        if (!(await within(this.exited, 1000))) {
          this.killTree('SIGKILL');
          await within(this.exited, 1000);
        }
      }
      // Descendants that outlived their parent still belong to the group.
      this.killTree('SIGKILL');
      this.fireClose();
    })();
    return this.closing;
  }
}

function within(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    p.then(() => {
      clearTimeout(t);
      resolve(true);
    });
  });
}
