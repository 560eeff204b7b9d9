// `portcullis proxy --listen HOST:PORT (--upstream URL | -- COMMAND)`: the Streamable HTTP face of
// the proxy. A node:http listener checks Host/Origin, bounds and parses the body, then hands each
// request to the SDK: 2025-era traffic to a sessionful transport per client session, 2026-07-28
// traffic to the SDK's per-request handler. Either way a proxy Server (face.ts) answers over the
// client's own ProxyCore, so every call is decided, audited and its result inspected before any
// byte of it is written. Anything refused before that point is refused with a recorded decision.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit/index.js';
import type { ApprovalChannel, CredentialBroker, Guard } from '../guard/index.js';
import type { Lockfile } from '../pin/index.js';
import { ProxyCore, type ProxyCoreOptions } from './core.js';
import { createProxyServer } from './face.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './framing.js';
import {
  checkHeaders,
  type HttpRefusal,
  isJsonMediaType,
  isLoopback,
  type ListenAddress,
  listenerPolicy,
  readBody,
} from './http-guard.js';
import { createListener, jsonResponse, webRequest, writeResponse } from './http-listener.js';
import { installHttpRelay } from './http-relay.js';
import { type ClientSession, modernClientKey, SessionTable } from './http-sessions.js';
import { ProxyLog } from './log.js';
import type { ProxyExit } from './stdio.js';
import { connectHttpUpstream, connectUpstream, type Upstream, type UpstreamEra } from './upstream.js';

export type HttpUpstreamTarget = { url: URL; headers?: Record<string, string> };
export type ProcessUpstreamTarget = {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
};

export interface HttpProxyOptions {
  listen: ListenAddress;
  upstream: HttpUpstreamTarget | ProcessUpstreamTarget;
  guard: Guard;
  openAudit: (server: string) => Promise<AuditLog>;
  lock?: Lockfile;
  name?: string;
  /** The MCP endpoint path (default `/mcp`). */
  path?: string;
  /** Extra Host names and Origins the listener answers (loopback and the listen host always). */
  allowHosts?: string[];
  allowOrigins?: string[];
  callTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Largest request body, and largest upstream response or stream event, in bytes. */
  maxMessageBytes?: number;
  sampling?: boolean;
  elicitation?: boolean;
  blockedTools?: 'mark' | 'hide';
  upstreamEra?: UpstreamEra;
  /** Per-tool secrets: injected into calls, redacted from everything sent to a client. */
  credentials?: CredentialBroker;
  /** How require-approval decisions are asked (docs/approvals.md); without one they are denied. */
  approvals?: ApprovalChannel;
  /** A client session unused this long is closed (default 30 min). */
  sessionIdleMs?: number;
  maxSessions?: number;
  /** Time to receive the request headers, and the whole request (default 10 s, 30 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open (default 5 s). */
  keepAliveTimeoutMs?: number;
  log?: ProxyLog;
}

export interface HttpProxy {
  server: string;
  /** The endpoint clients connect to. */
  url: string;
  address: ListenAddress;
  audit: AuditLog;
  upstream: Upstream;
  /** Number of open client sessions. */
  sessions(): number;
  closed: Promise<ProxyExit>;
  close(reason?: string): Promise<ProxyExit>;
}

const INFLIGHT_WAIT_MS = 3000;
const SESSION_ID_HEADER = 'mcp-session-id';

function isProcessTarget(t: HttpProxyOptions['upstream']): t is ProcessUpstreamTarget {
  return 'command' in t;
}

export async function startHttpProxy(options: HttpProxyOptions): Promise<HttpProxy> {
  const log = options.log ?? new ProxyLog();
  const path = options.path ?? '/mcp';
  const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const sampling = options.sampling ?? false;
  const elicitation = options.elicitation ?? true;
  // Invalid listener options throw here, before anything starts.
  const policy = listenerPolicy(options.listen, options.allowHosts, options.allowOrigins);

  let onListChanged: (kind: 'tools' | 'prompts' | 'resources') => void = () => undefined;
  const common = {
    ...(options.upstreamEra ? { era: options.upstreamEra } : {}),
    maxMessageBytes: max,
    ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    sampling,
    elicitation,
    onListChanged: (kind: 'tools' | 'prompts' | 'resources') => onListChanged(kind),
  };
  const target = options.upstream;
  const upstream: Upstream = isProcessTarget(target)
    ? await connectUpstream({
        ...common,
        command: target.command,
        args: target.args,
        ...(target.env ? { env: target.env } : {}),
        ...(target.cwd ? { cwd: target.cwd } : {}),
        onProblem: (_p, d) => log.event('upstream-frame', `refused a frame from the upstream: ${d}`),
      })
    : await connectHttpUpstream({
        ...common,
        url: target.url,
        ...(target.headers ? { headers: target.headers } : {}),
      });
  const closeUpstream = () => upstream.transport.close().catch(() => undefined);
  const server = options.name ?? upstream.name;
  let audit: AuditLog;
  try {
    audit = await options.openAudit(server);
  } catch (e) {
    await closeUpstream();
    throw e;
  }
  const coreOptions: Omit<ProxyCoreOptions, 'sessionId'> = {
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
  };
  // The listener's own session: tool registration, refusals before any client session exists.
  const listener = new ProxyCore(coreOptions);
  try {
    if (upstream.capabilities.tools) await listener.listTools();
  } catch (e) {
    await closeUpstream();
    await audit.close().catch(() => undefined);
    throw e;
  }

  let inflight = 0;
  let idle: (() => void) | undefined;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    inflight++;
    try {
      return await work();
    } finally {
      if (--inflight === 0) idle?.();
    }
  };
  const sessions = new SessionTable({
    max: options.maxSessions ?? 256,
    idleMs: options.sessionIdleMs ?? 30 * 60_000,
    coreOptions,
    track,
    onUnknownMethod: (s, method) => {
      log.event('method', `refused unknown method from a client: ${method.slice(0, 100)}`);
      void s.core.refuseOrAllow(
        method.slice(0, 256),
        false,
        `unknown method ${method.slice(0, 100)} (method not found)`,
      );
    },
    onClosed: (s, why) => {
      log.event('session', `client session ${s.id} closed (${why})`);
      if (s.legacy) {
        void s.legacy.transport.close().catch(() => undefined);
        void s.legacy.server.close().catch(() => undefined);
      }
    },
  });
  // Last line, as over stdio: every message a client is sent has known secrets redacted.
  const redact = options.credentials?.redactValue?.bind(options.credentials);
  const face = (s: ClientSession) => {
    const srv = createProxyServer(s.core, s.hooks);
    if (redact) {
      const connect = srv.connect.bind(srv);
      srv.connect = (transport, ...rest) => {
        const send = transport.send.bind(transport);
        transport.send = (message, ...more) => send(redact(message), ...more);
        return connect(transport, ...rest);
      };
    }
    return srv;
  };
  const sweeper = setInterval(() => sessions.sweep(), 30_000);
  sweeper.unref();

  const opened = (s: ClientSession, remote: string) =>
    s.core.record({
      server,
      tool: '*',
      method: 'session',
      decision: 'allow',
      rule: '',
      reason: `${s.era === 'legacy' ? '2025-era' : '2026-07-28'} client session opened`,
      meta: { remote, era: s.era },
    });

  // 2026-07-28 traffic: the SDK's per-request handler; the factory serves the request's own session.
  const pending = new WeakMap<Request, { key: string; remote: string }>();
  const modern = createMcpHandler(
    async ({ requestInfo }) => {
      const p = requestInfo ? pending.get(requestInfo) : undefined;
      if (!p) throw new Error('a request reached the MCP handler without a client session');
      let s = sessions.get(p.key);
      if (!s) {
        s = sessions.create('modern', p.key);
        if (!s) throw new Error('too many client sessions, all busy');
        await opened(s, p.remote);
      }
      return face(s);
    },
    {
      legacy: 'reject',
      maxRequestBodySize: max,
      onerror: (e) => log.event('protocol', `client request: ${e.message}`),
    },
  );

  onListChanged = (kind) => {
    void (async () => {
      // Re-list first: a changed tool is pin-checked before any client hears of the change.
      if (kind === 'tools')
        await listener
          .listTools()
          .catch((e) => log.event('upstream', `re-listing tools failed: ${(e as Error).message}`));
      if (kind === 'tools') modern.notify.toolsChanged();
      else if (kind === 'prompts') modern.notify.promptsChanged();
      else modern.notify.resourcesChanged();
      for (const s of sessions.all()) {
        const srv = s.legacy?.server;
        if (!srv) continue;
        if (kind === 'tools') await srv.sendToolListChanged().catch(() => undefined);
        else if (kind === 'prompts') await srv.sendPromptListChanged().catch(() => undefined);
        else await srv.sendResourceListChanged().catch(() => undefined);
      }
    })();
  };
  installHttpRelay({
    listener,
    upstream,
    sessions: () => sessions.all(),
    log,
    onResourceUpdated: (uri) => {
      modern.notify.resourceUpdated(uri);
      for (const s of sessions.all())
        void s.legacy?.server.sendResourceUpdated({ uri }).catch(() => undefined);
    },
  });

  const refusal = async (req: IncomingMessage, r: HttpRefusal, id: unknown = null): Promise<Response> => {
    const remote = req.socket.remoteAddress ?? '';
    log.event('http', `refused ${req.method} ${String(req.url).slice(0, 100)} from ${remote}: ${r.reason}`);
    await listener.record({
      server,
      tool: '*',
      method: `http ${String(req.method).slice(0, 16)}`,
      decision: 'deny',
      rule: r.rule,
      reason: r.reason,
      meta: { remote, path: String(req.url).slice(0, 200) },
    });
    const code =
      r.status === 404 && r.rule === 'http-session' ? -32001 : r.rule === 'http-json' ? -32700 : -32600;
    return jsonResponse(
      r.status,
      { jsonrpc: '2.0', id, error: { code, message: `portcullis: refused: ${r.reason}` } },
      r.status === 405 ? { allow: 'GET, POST, DELETE' } : {},
    );
  };

  // 2025-era traffic: one sessionful SDK transport per client session, keyed by its Mcp-Session-Id.
  const serveLegacy = async (req: IncomingMessage, request: Request, body: unknown): Promise<Response> => {
    const sid = req.headers[SESSION_ID_HEADER];
    const parsed = body !== undefined ? { parsedBody: body } : {};
    if (typeof sid === 'string') {
      const s = sessions.get(`legacy:${sid}`);
      if (!s?.legacy)
        return refusal(req, { status: 404, rule: 'http-session', reason: 'unknown or expired session' });
      return s.legacy.transport.handleRequest(request, parsed);
    }
    const initialize = Array.isArray(body)
      ? body.some((m) => isInitializeRequest(m))
      : isInitializeRequest(body);
    if (req.method !== 'POST' || !initialize)
      return refusal(req, {
        status: 400,
        rule: 'http-session',
        reason: 'a 2025-era request without Mcp-Session-Id must be initialize',
      });
    const id = randomUUID();
    const s = sessions.create('legacy', `legacy:${id}`);
    if (!s)
      return refusal(req, {
        status: 503,
        rule: 'http-capacity',
        reason: 'too many client sessions, all busy',
      });
    const srv = face(s);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => id,
      maxRequestBodySize: max,
      onsessionclosed: () => sessions.close(s, 'ended by the client'),
    });
    s.legacy = { server: srv, transport };
    await srv.connect(transport);
    await opened(s, req.socket.remoteAddress ?? '');
    return transport.handleRequest(request, parsed);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const bad = checkHeaders(policy, req.headers);
    if (bad) return writeResponse(res, await refusal(req, bad));
    if ((req.url ?? '').split('?')[0] !== path)
      return writeResponse(
        res,
        await refusal(req, {
          status: 404,
          rule: 'http-path',
          reason: `no MCP endpoint at this path (it is ${path})`,
        }),
      );
    const method = req.method ?? '';
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE')
      return writeResponse(
        res,
        await refusal(req, {
          status: 405,
          rule: 'http-method',
          reason: `method ${method.slice(0, 16)} not allowed`,
        }),
      );
    let body: unknown;
    if (method === 'POST') {
      if (!isJsonMediaType(req.headers['content-type']))
        return writeResponse(
          res,
          await refusal(req, {
            status: 415,
            rule: 'http-media',
            reason: 'Content-Type must be application/json',
          }),
        );
      const read = await readBody(req, max);
      if (!read.ok) {
        res.setHeader('connection', 'close');
        return writeResponse(res, await refusal(req, read.refusal));
      }
      try {
        body = JSON.parse(read.bytes.toString('utf8'));
      } catch (e) {
        return writeResponse(
          res,
          await refusal(req, {
            status: 400,
            rule: 'http-json',
            reason: `malformed JSON: ${(e as Error).message.slice(0, 100)}`,
          }),
        );
      }
      if (body === null || typeof body !== 'object')
        return writeResponse(
          res,
          await refusal(req, {
            status: 400,
            rule: 'http-json',
            reason: 'the body is not a JSON-RPC message',
          }),
        );
    }
    const abort = new AbortController();
    // Only a client that leaves before its answer is complete cancels the exchange.
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const request = webRequest(req, abort.signal);
    const legacy = method !== 'POST' || (await isLegacyRequest(request, body, { maxRequestBodySize: max }));
    if (legacy) return writeResponse(res, await serveLegacy(req, request, body));
    pending.set(request, {
      key: modernClientKey(req.headers, body, req.socket.remoteAddress ?? ''),
      remote: req.socket.remoteAddress ?? '',
    });
    return writeResponse(res, await modern.fetch(request, { parsedBody: body }));
  };

  const http = createListener(
    {
      headersTimeoutMs: options.headersTimeoutMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 5_000,
      // A connection silent for longer than any answer may take is dropped.
      socketTimeoutMs: (options.callTimeoutMs ?? 60_000) + 30_000,
    },
    handle,
    (e) => log.event('internal', `HTTP request failed: ${(e as Error)?.stack ?? String(e)}`),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.listen.port, options.listen.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    clearInterval(sweeper);
    await closeUpstream();
    await audit.close().catch(() => undefined);
    throw e;
  }
  const bound = http.address() as AddressInfo;
  const address = { host: options.listen.host, port: bound.port };
  const urlHost = address.host.includes(':') ? `[${address.host}]` : address.host;
  const url = `http://${urlHost}:${address.port}${path}`;
  if (!isLoopback(address.host)) {
    log.info(`WARNING: listening on ${address.host}, which is NOT a loopback address.`);
    log.info('WARNING: anyone who can reach this port can use the guarded server and its credentials;');
    log.info('WARNING: the listener has no authentication of its own. Bind to 127.0.0.1 unless you must.');
  }

  let resolveClosed!: (exit: ProxyExit) => void;
  const closed = new Promise<ProxyExit>((r) => {
    resolveClosed = r;
  });
  let shutting: Promise<ProxyExit> | undefined;
  const shutdown = (exit: ProxyExit): Promise<ProxyExit> => {
    shutting ??= (async () => {
      if (exit.code !== 0) log.info(exit.reason);
      http.close();
      if (inflight > 0)
        await new Promise<void>((resolve) => {
          idle = resolve;
          setTimeout(resolve, INFLIGHT_WAIT_MS).unref();
        });
      await new Promise((resolve) => setTimeout(resolve, 50));
      clearInterval(sweeper);
      await modern.close().catch(() => undefined);
      for (const s of [...sessions.all()]) sessions.close(s, 'the proxy is shutting down');
      http.closeAllConnections();
      await closeUpstream();
      await audit.close().catch((e) => log.info(`closing the audit log failed: ${(e as Error).message}`));
      log.flush();
      resolveClosed(exit);
      return exit;
    })();
    return shutting;
  };
  upstream.client.onerror = (e) => log.event('upstream', `upstream connection: ${e.message}`);
  if (isProcessTarget(target)) {
    upstream.client.onclose = () =>
      void shutdown({
        code: 1,
        reason: 'the upstream server exited; pending calls were answered with errors',
      });
  }
  return {
    server,
    url,
    address,
    audit,
    upstream,
    sessions: () => sessions.size,
    closed,
    close: (reason = 'closed') => shutdown({ code: 0, reason }),
  };
}
