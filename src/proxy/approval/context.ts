// Which client request a question belongs to. The gate and the ProxyCore are shared by every
// request; the in-protocol channel must ask on the connection (and in the protocol era) of the
// request that is waiting. The face runs each guarded handler inside this context.

import { AsyncLocalStorage } from 'node:async_hooks';
import { PROTOCOL_VERSION_META_KEY, type Server, type ServerContext } from '@modelcontextprotocol/server';

export interface ClientRequestContext {
  /** The client-facing SDK server the request arrived on. */
  server: Server;
  ctx: ServerContext;
}

const storage = new AsyncLocalStorage<ClientRequestContext>();

export function runInClientRequest<T>(context: ClientRequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentClientRequest(): ClientRequestContext | undefined {
  return storage.getStore();
}

/** 2026-07-28 requests carry the protocol version in their per-request `_meta` envelope. */
export function isModernRequest(context: ClientRequestContext): boolean {
  return typeof envelopeOf(context)[PROTOCOL_VERSION_META_KEY] === 'string';
}

/** The request's `_meta` envelope as a plain record (the SDK types it as an empty object). */
export function envelopeOf(context: ClientRequestContext): Record<string, unknown> {
  return (context.ctx.mcpReq.envelope ?? {}) as Record<string, unknown>;
}
