// How the agent reaches a run's env servers: straight to the SDK client of each server (defense
// `none`), or through the proxy's ProxyCore with the guard and an audit log in front of every
// server — the same code path `portcullis proxy` runs, in process. Each server is a real process
// over real stdio.

import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../audit/index.js';
import {
  type ApprovalChannel,
  type CompiledPolicy,
  createGuard,
  type Guard,
  type ToolResult,
} from '../guard/index.js';
import { ProxyCore } from '../proxy/core.js';
import { ProxyLog } from '../proxy/log.js';
import { connectUpstream, type Upstream } from '../proxy/upstream.js';
import { envEntry } from './envs/entry.js';
import type { AgentEnv, AgentTool, CallOutcome } from './types.js';

export type Defense = { kind: 'none' } | { kind: 'guard'; policy?: CompiledPolicy; label: string };

export interface ServerSpec {
  suite: string;
  /** Server key: the suite server's name, or the attacker's. */
  key: string;
  stateFile: string;
}

/** A started env server; its state is whatever its state file holds when a request arrives. */
export interface EnvProcess {
  spec: ServerSpec;
  upstream: Upstream;
  /** Where its list_changed notifications go (the run using it). */
  onToolsChanged: () => void;
}

export async function startEnvProcess(spec: ServerSpec): Promise<EnvProcess> {
  const proc: EnvProcess = {
    spec,
    upstream: undefined as unknown as Upstream,
    onToolsChanged: () => undefined,
  };
  proc.upstream = await connectUpstream({
    command: process.execPath,
    args: [envEntry(), '--suite', spec.suite, '--server', spec.key, '--state', spec.stateFile],
    sampling: false,
    elicitation: false,
    connectTimeoutMs: 30_000,
    onListChanged: (kind) => {
      if (kind === 'tools') proc.onToolsChanged();
    },
  });
  return proc;
}

/**
 * Env server processes kept between runs of a suite: a run writes its initial state into the
 * group's state file and the servers (which read the file on every request) serve it. Starting
 * Node and the SDK is most of a run's cost; the servers' behaviour is the same either way.
 */
export class EnvPool {
  private idle = new Map<string, EnvProcess[][]>();
  private all: EnvProcess[][] = [];
  private n = 0;

  constructor(private readonly dir: string) {}

  /** The suite's servers, sharing one state file; write the state there before using them. */
  async acquire(suite: string, keys: string[]): Promise<EnvProcess[]> {
    const id = `${suite}\u0000${keys.join(',')}`;
    const free = this.idle.get(id)?.pop();
    if (free) return free;
    const stateFile = join(this.dir, `${suite}-${this.n++}.json`);
    writeFileSync(stateFile, '{}');
    const group = await Promise.all(keys.map((key) => startEnvProcess({ suite, key, stateFile })));
    this.all.push(group);
    return group;
  }

  release(suite: string, group: EnvProcess[]): void {
    const id = `${suite}\u0000${group.map((p) => p.spec.key).join(',')}`;
    for (const p of group) p.onToolsChanged = () => undefined;
    const list = this.idle.get(id) ?? [];
    list.push(group);
    this.idle.set(id, list);
  }

  async close(): Promise<void> {
    for (const group of this.all)
      for (const p of group) await p.upstream.transport.close().catch(() => undefined);
    this.all = [];
    this.idle.clear();
  }
}

export interface ConnectOptions {
  /** Started servers (from a pool, or started for this run). */
  processes: EnvProcess[];
  defense: Defense;
  /** Audit log file (guard only). */
  auditFile?: string;
  /** How require-approval is answered (guard only); without it such calls are denied. */
  approvals?: ApprovalChannel;
  /** Servers that announce a tool-list change after their first listing (the rug pull). */
  expectListChange?: string[];
  callTimeoutMs?: number;
}

export interface Connection {
  env: AgentEnv;
  guard?: Guard;
  audit?: AuditLog;
  /** Closes the audit log (the processes belong to the caller). */
  close(): Promise<void>;
}

interface Link {
  key: string;
  list(): Promise<AgentTool[]>;
  call(tool: string, args: Record<string, unknown>): Promise<ToolResult>;
}

export function outcomeOf(result: ToolResult): CallOutcome {
  const text = (result.content ?? [])
    .map((p) => (typeof p.text === 'string' ? p.text : ''))
    .filter(Boolean)
    .join('\n');
  return { text, isError: result.isError === true, denied: text.startsWith('[portcullis] Denied') };
}

export async function openConnection(options: ConnectOptions): Promise<Connection> {
  const timeout = options.callTimeoutMs ?? 20_000;
  const stale = new Set<string>();
  const changed = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  for (const key of options.expectListChange ?? []) {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    changed.set(key, { promise, resolve });
  }
  const guard =
    options.defense.kind === 'guard'
      ? createGuard(options.defense.policy ? { policy: options.defense.policy } : {})
      : undefined;
  let audit: AuditLog | undefined;
  const links: Link[] = [];
  const log = new ProxyLog(() => undefined);
  if (guard) {
    if (!options.auditFile) throw new Error('a guarded run needs an audit file');
    audit = await AuditLog.open(options.auditFile, { sessionId: randomUUID(), checkpointEvery: 0 });
  }
  const close = async () => {
    await audit?.close().catch(() => undefined);
  };
  for (const proc of options.processes) {
    const { upstream, spec } = proc;
    proc.onToolsChanged = () => {
      stale.add(spec.key);
      changed.get(spec.key)?.resolve();
    };
    if (guard && audit) {
      const core = new ProxyCore({
        guard,
        audit,
        upstream,
        server: spec.key,
        log,
        callTimeoutMs: timeout,
        blockedTools: 'mark',
        sampling: false,
        elicitation: false,
        ...(options.approvals ? { approvals: options.approvals } : {}),
      });
      links.push({
        key: spec.key,
        list: async () => core.view(await core.listTools()).map((t) => toAgentTool(spec.key, t)),
        call: (tool, args) => core.callTool({ name: tool, arguments: args }, new AbortController().signal),
      });
    } else {
      links.push({
        key: spec.key,
        list: async () =>
          (await upstream.client.listTools(undefined, { cacheMode: 'bypass', timeout })).tools.map((t) =>
            toAgentTool(spec.key, t as never),
          ),
        call: async (tool, args) =>
          (await upstream.client.callTool(
            { name: tool, arguments: args },
            { timeout },
          )) as unknown as ToolResult,
      });
    }
  }

  const tools: AgentTool[] = [];
  const relist = async (keys: Iterable<string>) => {
    for (const key of [...keys]) {
      const link = links.find((l) => l.key === key);
      if (!link) continue;
      stale.delete(key);
      const fresh = await link.list();
      // In place: the agent holds this array and sees the new descriptions, as a client would.
      for (let i = tools.length - 1; i >= 0; i--) if (tools[i]?.server === key) tools.splice(i, 1);
      tools.push(...fresh);
    }
  };
  await relist(links.map((l) => l.key));
  let first = true;

  const env: AgentEnv = {
    tools,
    async call(server, tool, args) {
      if (first) {
        first = false;
        // The rug pull announces itself right after the first listing; take it in before the first call.
        await Promise.all(
          [...changed.values()].map((c) =>
            Promise.race([c.promise, new Promise((r) => setTimeout(r, 3000))]),
          ),
        );
      }
      if (stale.size > 0) await relist(stale);
      const link = links.find((l) => l.key === server);
      if (!link) return { text: `no server ${server}`, isError: true, denied: false };
      try {
        return outcomeOf(await link.call(tool, args));
      } catch (e) {
        return { text: `error: ${(e as Error).message}`, isError: true, denied: false };
      }
    },
  };
  return { env, ...(guard ? { guard } : {}), ...(audit ? { audit } : {}), close };
}

function toAgentTool(
  server: string,
  t: { name: string; description?: string; inputSchema?: unknown },
): AgentTool {
  return {
    server,
    name: t.name,
    description: t.description ?? '',
    inputSchema: t.inputSchema ?? { type: 'object' },
  };
}
