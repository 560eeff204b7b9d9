// An MCP client transport over a server's stdio that, unlike the SDK's StdioClientTransport, starts
// the server in its own process group and ends the whole tree on close. Framing (newline-delimited
// JSON-RPC, with a per-message size cap) is the SDK's own ReadBuffer and serializeMessage.

import type { Readable } from 'node:stream';
import {
  type JSONRPCMessage,
  ReadBuffer,
  serializeMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { killTree, type SpawnedServer, spawnInGroup } from './process-tree.js';

export interface GroupStdioOptions {
  argv: readonly string[];
  env: Record<string, string>;
  cwd?: string;
  /** Largest single JSON-RPC message accepted from the server. */
  maxMessageBytes: number;
  /** SIGTERM → SIGKILL grace period on close. */
  killGraceMs: number;
  /** The last bytes the server wrote to stderr are kept for error messages; this many at most. */
  stderrTailBytes?: number;
  onStderr?: (chunk: string) => void;
}

export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private spawned?: SpawnedServer;
  private readonly buffer: ReadBuffer;
  private stderrTail = '';
  private closing?: Promise<void>;
  /** Resolves true when the tree was verified gone. */
  treeGone: boolean | undefined;
  exitCode: number | null = null;

  constructor(private readonly options: GroupStdioOptions) {
    this.buffer = new ReadBuffer({ maxBufferSize: options.maxMessageBytes });
  }

  get pid(): number | undefined {
    return this.spawned?.pid;
  }

  /** What the server last wrote to stderr (capped), for error messages. */
  get stderr(): string {
    return this.stderrTail;
  }

  async start(): Promise<void> {
    if (this.spawned) throw new Error('transport already started');
    this.spawned = await spawnInGroup(this.options.argv, {
      env: this.options.env,
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
    });
    const { child } = this.spawned;
    const cap = this.options.stderrTailBytes ?? 4096;
    (child.stderr as Readable).setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      this.options.onStderr?.(chunk);
      this.stderrTail = (this.stderrTail + chunk).slice(-cap);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      try {
        this.buffer.append(chunk);
        for (;;) {
          const message = this.buffer.readMessage();
          if (message === null) break;
          this.onmessage?.(message);
        }
      } catch (err) {
        this.onerror?.(err as Error);
        void this.close();
      }
    });
    for (const stream of [child.stdin!, child.stdout!, child.stderr!]) {
      stream.on('error', (err: Error) => this.onerror?.(err));
    }
    child.once('exit', (code) => {
      this.exitCode = code;
      // The server went away on its own: its children may not have. Clean up and report.
      void this.close();
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.spawned?.child.stdin;
    if (!stdin || stdin.destroyed || this.closing)
      return Promise.reject(new Error('server process is not running'));
    return new Promise((resolve, reject) => {
      const ok = stdin.write(serializeMessage(message), (err) => (err ? reject(err) : undefined));
      if (ok) resolve();
      else stdin.once('drain', resolve);
    });
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = (async () => {
      const spawned = this.spawned;
      if (spawned) {
        try {
          spawned.child.stdin?.end();
        } catch {
          // Already closed.
        }
        this.treeGone = await killTree(spawned.pid, this.options.killGraceMs);
        spawned.child.stdout?.destroy();
        spawned.child.stderr?.destroy();
        spawned.child.stdin?.destroy();
      }
      this.buffer.clear();
      this.onclose?.();
    })();
    return this.closing;
  }
}
