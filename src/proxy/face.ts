// The client-facing MCP server of the proxy: a low-level SDK Server per connection (the SDK's
// serving entries decide the era), whose handlers route every method to the ProxyCore. Methods
// without a handler here are answered "method not found" and logged: nothing passes unexamined.

import {
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type ServerCapabilities,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { ApprovalDeferred } from '../guard/gate.js';
import { VERSION } from '../version.js';
import { runInClientRequest } from './approval/context.js';
import { type ProxyCore, Refusal } from './core.js';

/** The capabilities the proxy offers: those of the upstream that it knows how to guard. */
export function mirroredCapabilities(upstream: ServerCapabilities): ServerCapabilities {
  const caps: ServerCapabilities = {};
  if (upstream.tools) caps.tools = { listChanged: true };
  if (upstream.prompts) caps.prompts = { listChanged: true };
  if (upstream.resources) {
    caps.resources = { listChanged: true, ...(upstream.resources.subscribe ? { subscribe: true } : {}) };
  }
  if (upstream.logging) caps.logging = {};
  if (upstream.completions) caps.completions = {};
  return caps;
}

function isAbort(e: unknown): boolean {
  return (e as { name?: string })?.name === 'AbortError';
}

type Meta = { progressToken?: string | number; [k: string]: unknown };
type Request = { params?: Record<string, unknown> };
type Route = (req: Request, ctx: ServerContext) => Promise<unknown>;

export interface FaceHooks {
  /** Counts a request from start to answer, so shutdown can wait for answers in flight. */
  track<T>(work: () => Promise<T>): Promise<T>;
  onUnknownMethod(method: string): void;
}

export function createProxyServer(core: ProxyCore, hooks: FaceHooks): Server {
  const { upstream, log } = core.options;
  const client = upstream.client;
  const capabilities = mirroredCapabilities(upstream.capabilities);
  const instructions = core.instructions();
  const server = new Server(
    { name: upstream.name, version: upstream.version ?? VERSION },
    { capabilities, ...(instructions !== undefined ? { instructions } : {}) },
  );
  const timeout = core.options.callTimeoutMs;

  // Every handler fails closed: a Refusal keeps its code; anything unexpected is an internal error.
  const guarded =
    <A extends unknown[], R>(method: string, fn: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> =>
      hooks.track(async () => {
        try {
          // Approval channels ask on the connection and in the era of the request that waits.
          const ctx = a[1] as ServerContext | undefined;
          return await (ctx?.mcpReq ? runInClientRequest({ server, ctx }, () => fn(...a)) : fn(...a));
        } catch (e) {
          // On the 2026-07-28 era the question goes back as an input_required result; the client retries.
          if (e instanceof ApprovalDeferred) return e.result as R;
          if (e instanceof Refusal) throw new ProtocolError(e.code, e.message);
          if (isAbort(e) || e instanceof ProtocolError) throw e;
          log.event('internal', `${method}: ${(e as Error)?.stack ?? String(e)}`);
          throw new ProtocolError(
            ProtocolErrorCode.InternalError,
            `portcullis: ${method} failed and was refused`,
          );
        }
      });

  // A call's progress notes must reach the client before its result: once the result arrives the
  // client forgets the token and drops later notes.
  const callTool = async (req: Request, ctx: ServerContext) => {
    const params = req.params as { name: string; arguments?: Record<string, unknown>; _meta?: Meta };
    const token = params._meta?.progressToken;
    const sent: Promise<unknown>[] = [];
    const onprogress =
      token === undefined
        ? undefined
        : (p: { progress: number; total?: number; message?: string }) => {
            sent.push(
              ctx.mcpReq
                .notify({ method: 'notifications/progress', params: { ...p, progressToken: token } })
                .catch(() => undefined),
            );
          };
    const args = params.arguments;
    const result = await core.callTool(
      { name: params.name, ...(args ? { arguments: args } : {}) },
      ctx.mcpReq.signal,
      onprogress,
    );
    await Promise.all(sent);
    return result;
  };
  const signal = (ctx: ServerContext) => ctx.mcpReq.signal;
  const opts = (ctx: ServerContext) => ({ signal: ctx.mcpReq.signal, timeout });

  // Every method the proxy answers and the capability that enables it. Listings and reads go through
  // the core (judged, decided, recorded); the rest are forwarded to the upstream as they are.
  const routes: [method: string, enabled: unknown, route: Route][] = [
    ['tools/list', capabilities.tools, async () => ({ tools: core.view(await core.listTools()) })],
    ['tools/call', capabilities.tools, callTool],
    ['prompts/list', capabilities.prompts, (req, ctx) => core.listContent('prompt', req.params, signal(ctx))],
    ['prompts/get', capabilities.prompts, (req, ctx) => core.getPrompt(req.params as never, signal(ctx))],
    [
      'resources/list',
      capabilities.resources,
      (req, ctx) => core.listContent('resource', req.params, signal(ctx)),
    ],
    [
      'resources/templates/list',
      capabilities.resources,
      (req, ctx) => core.listContent('template', req.params, signal(ctx)),
    ],
    [
      'resources/read',
      capabilities.resources,
      (req, ctx) => core.readResource(req.params as never, signal(ctx)),
    ],
    [
      'resources/subscribe',
      capabilities.resources?.subscribe,
      (req, ctx) => client.subscribeResource(req.params as never, opts(ctx)),
    ],
    [
      'resources/unsubscribe',
      capabilities.resources?.subscribe,
      (req, ctx) => client.unsubscribeResource(req.params as never, opts(ctx)),
    ],
    [
      'completion/complete',
      capabilities.completions,
      (req, ctx) => client.complete(req.params as never, opts(ctx)),
    ],
    [
      'logging/setLevel',
      capabilities.logging,
      (req, ctx) => client.setLoggingLevel((req.params as { level: never }).level, opts(ctx)),
    ],
  ];
  for (const [method, enabled, route] of routes)
    if (enabled) server.setRequestHandler(method as never, guarded(method, route) as never);

  server.fallbackRequestHandler = async (request) => {
    hooks.onUnknownMethod(request.method);
    throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Method not found: ${request.method}`);
  };
  server.fallbackNotificationHandler = async (notification) => {
    log.event('notification', `ignored notification from the client: ${notification.method}`);
  };
  return server;
}
