// Requests and notifications from the upstream server to "the client", when the proxy has many
// clients over HTTP. A server request (elicitation, sampling, roots) goes to the client whose call
// is in flight — the most recently active 2025-era session that declared the capability, since
// only those keep a channel the server can push on; with no such client it is refused and
// recorded. Log messages are not forwarded (their text would reach a client unscanned).

import type { Server } from '@modelcontextprotocol/server';
import type { ProxyCore } from './core.js';
import type { ClientSession } from './http-sessions.js';
import type { ProxyLog } from './log.js';
import type { Upstream } from './upstream.js';

type Capability = 'elicitation' | 'sampling' | 'roots';

export interface RelayOptions {
  /** Records decisions that belong to no client session. */
  listener: ProxyCore;
  upstream: Upstream;
  sessions: () => Iterable<ClientSession>;
  log: ProxyLog;
  onResourceUpdated: (uri: string) => void;
}

const HUMAN_TIMEOUT_MS = 10 * 60_000;

/** The 2025-era session with a call in flight that can answer this kind of request. */
export function targetSession(
  sessions: Iterable<ClientSession>,
  capability: Capability,
): { session: ClientSession; server: Server } | undefined {
  let best: ClientSession | undefined;
  for (const s of sessions) {
    if (!s.legacy || s.inflight === 0) continue;
    if (!s.legacy.server.getClientCapabilities()?.[capability]) continue;
    if (!best || s.lastUsed > best.lastUsed) best = s;
  }
  return best?.legacy ? { session: best, server: best.legacy.server } : undefined;
}

export function installHttpRelay(options: RelayOptions): void {
  const { listener, upstream, log } = options;
  const client = upstream.client;
  const refuse = async (core: ProxyCore, method: string, why: string): Promise<never> => {
    await core.refuseOrAllow(method, false, why);
    throw new Error(`portcullis: ${why}`);
  };
  const relay = (method: 'elicitation/create' | 'sampling/createMessage', capability: Capability) =>
    client.setRequestHandler(method, async (req) => {
      const target = targetSession(options.sessions(), capability);
      if (!target)
        return refuse(listener, method, `no connected client with a call in flight can answer ${method}`);
      if (!(await target.session.core.refuseOrAllow(method, true, `${method} passed to the client`)))
        return refuse(listener, method, 'the audit log could not be written');
      return (
        method === 'elicitation/create'
          ? await target.server.elicitInput(req.params as never, { timeout: HUMAN_TIMEOUT_MS })
          : await target.server.createMessage(req.params as never, { timeout: HUMAN_TIMEOUT_MS })
      ) as never;
    });
  if (listener.options.elicitation) relay('elicitation/create', 'elicitation');
  if (listener.options.sampling) relay('sampling/createMessage', 'sampling');
  client.setRequestHandler('roots/list', async () => {
    const target = targetSession(options.sessions(), 'roots');
    if (!target) return { roots: [] };
    return (await target.server.listRoots(undefined, { timeout: 30_000 })) as never;
  });
  client.fallbackRequestHandler = async (request) => {
    log.event('method', `refused ${request.method.slice(0, 100)} from the upstream server`);
    await listener.refuseOrAllow(
      request.method.slice(0, 256),
      false,
      `${request.method.slice(0, 100)} from the server is not allowed by the proxy`,
    );
    const err = new Error(`portcullis: ${request.method.slice(0, 100)} is refused by the proxy`) as Error & {
      code: number;
    };
    err.code = -32601;
    throw err;
  };
  client.setNotificationHandler('notifications/message', async (n) => {
    log.event('upstream-log', `log message from the upstream (${String(n.params.level)}) kept in the proxy`);
  });
  client.setNotificationHandler('notifications/resources/updated', async (n) => {
    if (typeof n.params.uri === 'string') options.onResourceUpdated(n.params.uri);
  });
  client.fallbackNotificationHandler = async (n) => {
    log.event('notification', `ignored notification from the upstream: ${n.method.slice(0, 100)}`);
  };
}
