// `portcullis proxy -- COMMAND`: the stdio transport around the ProxyCore. Starts the upstream,
// opens the audit log once the server's name is known, registers its tools with the guard, then
// serves the client on stdin/stdout in whichever protocol era the client opens with.

import type { Readable, Writable } from 'node:stream';
import type { Server } from '@modelcontextprotocol/server';
import type { StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { AuditLog } from '../audit/index.js';
import type { ApprovalChannel, CredentialBroker, Guard } from '../guard/index.js';
import type { Lockfile } from '../pin/index.js';
import { ProxyCore } from './core.js';
import { createProxyServer } from './face.js';
import { ProxyLog } from './log.js';
import { ClientStdioTransport, UpstreamProcessTransport } from './transports.js';
import { connectHttpUpstream, connectUpstream, type Upstream, type UpstreamEra } from './upstream.js';

export interface StdioProxyOptions {
  command: string;
  args: string[];
  /** A remote Streamable HTTP server to guard instead of starting `command`. */
  upstreamUrl?: URL;
  /** Extra headers for the remote server (e.g. its Authorization). */
  upstreamHeaders?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  guard: Guard;
  /** Opens the audit log for the server (its key is known only after the upstream answers). */
  openAudit: (server: string) => Promise<AuditLog>;
  /** Lockfile, for the server's instructions (tool pins are the guard's). */
  lock?: Lockfile;
  /** The server's key for policy, pins and audit; default: the name the server declares. */
  name?: string;
  input?: Readable;
  output?: Writable;
  /** Per-request timeout towards the upstream, ms (default 60 s). */
  callTimeoutMs?: number;
  connectTimeoutMs?: number;
  maxMessageBytes?: number;
  /** Pass sampling requests from the server to the client (default: refuse). */
  sampling?: boolean;
  /** Pass elicitation requests from the server to the client (default: pass). */
  elicitation?: boolean;
  blockedTools?: 'mark' | 'hide';
  upstreamEra?: UpstreamEra;
  log?: ProxyLog;
  /** Per-tool secrets: injected into calls, redacted from everything the client is sent. */
  credentials?: CredentialBroker;
  /** How require-approval decisions are asked (docs/approvals.md); without one they are denied. */
  approvals?: ApprovalChannel;
}

export interface ProxyExit {
  /** 0: the client closed; 1: the upstream exited or failed. */
  code: number;
  reason: string;
}

export interface StdioProxy {
  server: string;
  audit: AuditLog;
  upstream: Upstream;
  /** Resolves when the proxy has shut down (the client closed, or the upstream ended). */
  closed: Promise<ProxyExit>;
  close(reason?: string): Promise<ProxyExit>;
}

const INFLIGHT_WAIT_MS = 3000;

export async function startStdioProxy(options: StdioProxyOptions): Promise<StdioProxy> {
  const log = options.log ?? new ProxyLog();
  const sampling = options.sampling ?? false;
  const elicitation = options.elicitation ?? true;
  const servers = new Set<Server>();
  let core: ProxyCore | undefined;
  let inflight = 0;
  let idle: (() => void) | undefined;

  const newest = (): Server | undefined => [...servers].pop();
  const forwardListChanged = (kind: 'tools' | 'prompts' | 'resources') => {
    void (async () => {
      // Re-list first: a changed tool is pin-checked before the client hears of the change.
      if (kind === 'tools' && core)
        await core
          .listTools()
          .catch((e) => log.event('upstream', `re-listing tools failed: ${(e as Error).message}`));
      for (const s of servers) {
        if (kind === 'tools') await s.sendToolListChanged().catch(() => undefined);
        else if (kind === 'prompts') await s.sendPromptListChanged().catch(() => undefined);
        else await s.sendResourceListChanged().catch(() => undefined);
      }
    })();
  };

  const common = {
    ...(options.upstreamEra ? { era: options.upstreamEra } : {}),
    ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
    ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    sampling,
    elicitation,
    onListChanged: forwardListChanged,
  };
  const upstream: Upstream = options.upstreamUrl
    ? await connectHttpUpstream({
        ...common,
        url: options.upstreamUrl,
        ...(options.upstreamHeaders ? { headers: options.upstreamHeaders } : {}),
      })
    : await connectUpstream({
        ...common,
        command: options.command,
        args: options.args,
        ...(options.env ? { env: options.env } : {}),
        ...(options.cwd ? { cwd: options.cwd } : {}),
        onProblem: (_p, d) => log.event('upstream-frame', `refused a frame from the upstream: ${d}`),
      });
  const server = options.name ?? upstream.name;
  let audit: AuditLog;
  try {
    audit = await options.openAudit(server);
  } catch (e) {
    await upstream.transport.close();
    throw e;
  }
  core = new ProxyCore({
    guard: options.guard,
    audit,
    upstream,
    server,
    log,
    ...(options.lock ? { lock: options.lock } : {}),
    callTimeoutMs: options.callTimeoutMs ?? 60_000,
    blockedTools: options.blockedTools ?? 'mark',
    sampling,
    elicitation,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.approvals ? { approvals: options.approvals } : {}),
  });
  const proxyCore = core;
  // Register (and pin-check) the tools before the client can call any.
  if (upstream.capabilities.tools) await proxyCore.listTools();

  installUpstreamHandlers(proxyCore, upstream, newest, log);

  let resolveClosed!: (exit: ProxyExit) => void;
  const closed = new Promise<ProxyExit>((r) => {
    resolveClosed = r;
  });
  let shutting: Promise<ProxyExit> | undefined;
  let handle: StdioServerHandle | undefined;
  const shutdown = (exit: ProxyExit): Promise<ProxyExit> => {
    shutting ??= (async () => {
      if (exit.code !== 0) log.info(exit.reason);
      if (inflight > 0) {
        await new Promise<void>((resolve) => {
          idle = resolve;
          setTimeout(resolve, INFLIGHT_WAIT_MS).unref();
        });
      }
      // Answers leave the SDK a tick after their handler settles: let them reach the wire first.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await handle?.close().catch(() => undefined);
      await upstream.transport.close().catch(() => undefined);
      await audit.close().catch((e) => log.info(`closing the audit log failed: ${(e as Error).message}`));
      log.flush();
      resolveClosed(exit);
      return exit;
    })();
    return shutting;
  };

  upstream.client.onclose = () => {
    const x = upstream.transport instanceof UpstreamProcessTransport ? upstream.transport.exit : undefined;
    const how = x
      ? x.signal
        ? `was killed by ${x.signal}`
        : `exited with code ${x.code}`
      : 'closed its output';
    void shutdown({ code: 1, reason: `the upstream server ${how}; pending calls were answered with errors` });
  };

  const transport = new ClientStdioTransport({
    input: options.input ?? process.stdin,
    output: options.output ?? process.stdout,
    ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
    onProblem: (_p, d) => log.event('frame', `refused a frame from the client: ${d}`),
    onClosed: () => void shutdown({ code: 0, reason: 'the client closed the connection' }),
  });
  const redact = options.credentials?.redactValue?.bind(options.credentials);
  if (redact) {
    // Last line: whatever reaches the client (log notifications, progress, elicitation) is redacted.
    const send = transport.send.bind(transport);
    transport.send = (message) => send(redact(message));
  }
  const hooks = {
    track: async <T>(work: () => Promise<T>): Promise<T> => {
      inflight++;
      try {
        return await work();
      } finally {
        if (--inflight === 0) idle?.();
      }
    },
    onUnknownMethod: (method: string) => {
      log.event('method', `refused unknown method from the client: ${method.slice(0, 100)}`);
      void proxyCore.refuseOrAllow(
        method.slice(0, 256),
        false,
        `unknown method ${method.slice(0, 100)} (method not found)`,
      );
    },
  };
  handle = serveStdio(
    () => {
      const s = createProxyServer(proxyCore, hooks);
      servers.add(s);
      s.onclose = () => servers.delete(s);
      return s;
    },
    { transport, onerror: (e) => log.event('protocol', `client connection: ${e.message}`) },
  );
  return { server, audit, upstream, closed, close: (reason = 'closed') => shutdown({ code: 0, reason }) };
}

/** Requests from the server to the client: sampling and elicitation per option, roots passed on. */
function installUpstreamHandlers(
  core: ProxyCore,
  upstream: Upstream,
  face: () => Server | undefined,
  log: ProxyLog,
): void {
  const client = upstream.client;
  const humanTimeout = 10 * 60_000;
  const refuse = (what: string): never => {
    throw new Error(`portcullis: ${what}`);
  };
  if (core.options.elicitation) {
    client.setRequestHandler('elicitation/create', async (req) => {
      const s = face();
      if (!s?.getClientCapabilities()?.elicitation) {
        await core.refuseOrAllow('elicitation/create', false, 'the client does not support elicitation');
        return refuse('the client does not support elicitation');
      }
      if (!(await core.refuseOrAllow('elicitation/create', true, 'elicitation passed to the client')))
        return refuse('the audit log could not be written');
      return (await s.elicitInput(req.params as never, { timeout: humanTimeout })) as never;
    });
  }
  if (core.options.sampling) {
    client.setRequestHandler('sampling/createMessage', async (req) => {
      const s = face();
      if (!s?.getClientCapabilities()?.sampling) return refuse('the client does not support sampling');
      if (!(await core.refuseOrAllow('sampling/createMessage', true, 'sampling passed to the client')))
        return refuse('the audit log could not be written');
      return (await s.createMessage(req.params as never, { timeout: humanTimeout })) as never;
    });
  }
  client.setRequestHandler('roots/list', async () => {
    const s = face();
    if (!s?.getClientCapabilities()?.roots) return { roots: [] };
    return (await s.listRoots(undefined, { timeout: 30_000 })) as never;
  });
  client.fallbackRequestHandler = async (request) => {
    log.event('method', `refused ${request.method} from the upstream server`);
    await core.refuseOrAllow(
      request.method.slice(0, 256),
      false,
      `${request.method.slice(0, 100)} from the server is not allowed by the proxy`,
    );
    const err = new Error(`portcullis: ${request.method} is refused by the proxy`) as Error & {
      code: number;
    };
    err.code = -32601;
    throw err;
  };
  client.setNotificationHandler('notifications/message', async (n) => {
    for (const s of [face()]) await s?.sendLoggingMessage(n.params).catch(() => undefined);
  });
  client.setNotificationHandler('notifications/resources/updated', async (n) => {
    await face()
      ?.sendResourceUpdated(n.params)
      .catch(() => undefined);
  });
  client.fallbackNotificationHandler = async (n) => {
    log.event('notification', `ignored notification from the upstream: ${n.method}`);
  };
}
