// The node:http plumbing of the HTTP face: the server with its timeouts, and the conversions
// between Node's request/response and the web Request/Response the SDK speaks.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** The Node request as a body-less web Request (the body travels pre-parsed), aborted when the client goes. */
export function webRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined || k === 'content-length' || k === 'transfer-encoding') continue;
    headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  return new Request(`http://${req.headers.host}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    signal,
  });
}

export async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  // Aborting on client disconnect ends the stream; pipeline then settles either way.
  await pipeline(Readable.fromWeb(response.body as never), res).catch(() => undefined);
}

export interface ListenerTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  socketTimeoutMs: number;
}

/** A node:http server with bounded headers, requests and idle sockets; handler failures answer 500. */
export function createListener(
  timeouts: ListenerTimeouts,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onFailure: (e: unknown) => void,
): Server {
  // Node enforces headersTimeout from a periodic check that, on a loaded machine, was seen not to
  // fire for a connection's first request; a timer per new connection makes that bound certain.
  const firstHeaders = new WeakMap<object, NodeJS.Timeout>();
  const http = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      // How often the header and request timeouts are enforced (Node's default is every 30 s).
      connectionsCheckingInterval: 1_000,
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      clearTimeout(firstHeaders.get(req.socket));
      void handle(req, res).catch((e: unknown) => {
        onFailure(e);
        if (!res.headersSent)
          void writeResponse(
            res,
            jsonResponse(500, {
              jsonrpc: '2.0',
              id: null,
              error: { code: -32603, message: 'portcullis: internal error; refused' },
            }),
          );
        else res.destroy();
      });
    },
  );
  http.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), timeouts.headersTimeoutMs + 500);
    timer.unref();
    firstHeaders.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  http.setTimeout(timeouts.socketTimeoutMs);
  http.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return http;
}
