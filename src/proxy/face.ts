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

  if (capabilities.tools) {
    server.setRequestHandler(
      'tools/list',
      guarded('tools/list', async () => ({ tools: core.view(await core.listTools()) }) as never),
    );
    server.setRequestHandler(
      'tools/call',
      guarded('tools/call', async (req, ctx) => {
        const token = req.params._meta?.progressToken;
        // Progress notes must reach the client before the result: once the result arrives the client
        // forgets the token and drops later notes.
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
        const args = req.params.arguments;
        const result = await core.callTool(
          { name: req.params.name, ...(args ? { arguments: args as Record<string, unknown> } : {}) },
          ctx.mcpReq.signal,
          onprogress,
        );
        await Promise.all(sent);
        return result as never;
      }),
    );
  }
  if (capabilities.prompts) {
    server.setRequestHandler(
      'prompts/list',
      guarded(
        'prompts/list',
        async (req, ctx) =>
          (await client.listPrompts(req.params, { signal: ctx.mcpReq.signal, timeout })) as never,
      ),
    );
    server.setRequestHandler(
      'prompts/get',
      guarded(
        'prompts/get',
        async (req, ctx) => (await core.getPrompt(req.params, ctx.mcpReq.signal)) as never,
      ),
    );
  }
  if (capabilities.resources) {
    server.setRequestHandler(
      'resources/list',
      guarded(
        'resources/list',
        async (req, ctx) =>
          (await client.listResources(req.params, { signal: ctx.mcpReq.signal, timeout })) as never,
      ),
    );
    server.setRequestHandler(
      'resources/templates/list',
      guarded(
        'resources/templates/list',
        async (req, ctx) =>
          (await client.listResourceTemplates(req.params, { signal: ctx.mcpReq.signal, timeout })) as never,
      ),
    );
    server.setRequestHandler(
      'resources/read',
      guarded(
        'resources/read',
        async (req, ctx) => (await core.readResource(req.params, ctx.mcpReq.signal)) as never,
      ),
    );
    if (capabilities.resources.subscribe) {
      server.setRequestHandler(
        'resources/subscribe',
        guarded(
          'resources/subscribe',
          async (req, ctx) =>
            await client.subscribeResource(req.params, { signal: ctx.mcpReq.signal, timeout }),
        ),
      );
      server.setRequestHandler(
        'resources/unsubscribe',
        guarded(
          'resources/unsubscribe',
          async (req, ctx) =>
            await client.unsubscribeResource(req.params, { signal: ctx.mcpReq.signal, timeout }),
        ),
      );
    }
  }
  if (capabilities.completions) {
    server.setRequestHandler(
      'completion/complete',
      guarded(
        'completion/complete',
        async (req, ctx) =>
          (await client.complete(req.params, { signal: ctx.mcpReq.signal, timeout })) as never,
      ),
    );
  }
  if (capabilities.logging) {
    server.setRequestHandler(
      'logging/setLevel',
      guarded(
        'logging/setLevel',
        async (req, ctx) =>
          (await client.setLoggingLevel(req.params.level, { signal: ctx.mcpReq.signal, timeout })) as never,
      ),
    );
  }
  server.fallbackRequestHandler = async (request) => {
    hooks.onUnknownMethod(request.method);
    throw new ProtocolError(ProtocolErrorCode.MethodNotFound, `Method not found: ${request.method}`);
  };
  server.fallbackNotificationHandler = async (notification) => {
    log.event('notification', `ignored notification from the client: ${notification.method}`);
  };
  return server;
}
