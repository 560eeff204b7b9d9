// The host side of the egress bridge: an HTTP proxy (CONNECT tunnels and plain absolute-form HTTP)
// listening on a Unix socket that is bound into the sandbox. It decides every request against the
// allowlist, resolves names on the host, dials the address it checked (never re-resolving, so DNS
// rebinding between check and connect is impossible), and records every decision.
//
// Hostile input: the request head is capped in size, header count and time; every parse failure
// answers 400 and closes; every socket has an error handler; nothing a client sends can throw out
// of a handler.

import { lookup } from 'node:dns/promises';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, isIP, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EgressEvent } from '../types.js';
import { compileEgressPolicy, type EgressPolicy, type EgressRule, normaliseHost } from './policy.js';

export const EGRESS_LIMITS = {
  maxHeadBytes: 16 * 1024,
  maxHeaders: 100,
  headTimeoutMs: 10_000,
  dnsTimeoutMs: 5_000,
  connectTimeoutMs: 10_000,
  maxConnections: 256,
  /** Events kept in the report; later ones are counted in `dropped`. */
  maxEvents: 1000,
} as const;

const DIR_PREFIX = 'portcullis-egress-';
export const EGRESS_SOCKET_NAME = 'proxy.sock';

export interface EgressProxy {
  /** Directory holding the socket (bound into the sandbox). */
  dir: string;
  socketPath: string;
  events: EgressEvent[];
  /** Events not kept because of maxEvents. */
  dropped(): number;
  /** Stops listening, ends open tunnels, removes the directory. Never rejects. */
  close(): Promise<void>;
}

export interface EgressProxyOptions {
  allow: readonly EgressRule[];
  /** Mode of the socket: 0o600 suffices when the sandbox maps to the owner (bwrap); gVisor needs 0o666. */
  socketMode?: number;
  onEvent?: (event: EgressEvent) => void;
  /** Host-side resolver (tests inject one to simulate rebinding). Default: getaddrinfo via dns.lookup. */
  resolve?: (host: string) => Promise<string[]>;
}

const HEADER_RE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
const REQUEST_LINE_RE = /^([A-Z]{1,16}) (\S{1,8192}) HTTP\/1\.[01]$/;
/** Hop-by-hop headers a forward proxy must not pass on (RFC 9110 §7.6.1), plus the proxy's own. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'te',
  'trailer',
  'upgrade',
  'host',
]);

async function defaultResolve(host: string): Promise<string[]> {
  const all = await lookup(host, { all: true, verbatim: true });
  return all.map((a) => a.address);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

function answer(socket: Socket, status: number, text: string, reason: string): void {
  const body = `portcullis egress: ${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Portcullis-Egress: refused\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** "host:port" / "[v6]:port" of a CONNECT request. */
function parseAuthority(target: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(target);
  if (!m) return undefined;
  const port = Number(m[2]);
  const host = normaliseHost(m[1] as string);
  return host && port > 0 && port < 65536 ? { host, port } : undefined;
}

interface Head {
  method: string;
  target: string;
  headers: [string, string][];
  rest: Buffer;
}

/** Reads the request head; undefined (after answering) when it is too big, too slow or malformed. */
function readHead(socket: Socket): Promise<Head | { error: string; status: number } | undefined> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const done = (v: Head | { error: string; status: number } | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      resolve(v);
    };
    const timer = setTimeout(
      () => done({ error: 'request head timed out', status: 408 }),
      EGRESS_LIMITS.headTimeoutMs,
    );
    const onEnd = () => done(undefined);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > EGRESS_LIMITS.maxHeadBytes) done({ error: 'request head too large', status: 431 });
        return;
      }
      if (end > EGRESS_LIMITS.maxHeadBytes) return done({ error: 'request head too large', status: 431 });
      socket.pause();
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const m = REQUEST_LINE_RE.exec(lines[0] ?? '');
      if (!m) return done({ error: 'malformed request line', status: 400 });
      if (lines.length - 1 > EGRESS_LIMITS.maxHeaders)
        return done({ error: 'too many headers', status: 431 });
      const headers: [string, string][] = [];
      for (const line of lines.slice(1)) {
        const h = HEADER_RE.exec(line);
        if (!h) return done({ error: 'malformed header line', status: 400 });
        headers.push([h[1] as string, h[2] as string]);
      }
      done({ method: m[1] as string, target: m[2] as string, headers, rest: buf.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
  });
}

/** Pipes two sockets both ways; either side failing or closing ends the other. */
function splice(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = () => {
    a.destroy();
    b.destroy();
  };
  a.once('close', end);
  b.once('close', end);
}

export function startEgressProxy(options: EgressProxyOptions): EgressProxy {
  const policy: EgressPolicy = compileEgressPolicy(options.allow);
  const resolveHost = options.resolve ?? defaultResolve;
  const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  const socketPath = join(dir, EGRESS_SOCKET_NAME);
  const events: EgressEvent[] = [];
  let dropped = 0;
  const open = new Set<Socket>();

  const record = (e: Omit<EgressEvent, 'time'>): EgressEvent => {
    const event: EgressEvent = { time: new Date().toISOString(), ...e };
    if (events.length < EGRESS_LIMITS.maxEvents) events.push(event);
    else dropped++;
    try {
      options.onEvent?.(event);
    } catch {
      // a reporting callback never breaks the proxy
    }
    return event;
  };

  /** Name check, host-side resolution, address check. Returns the address to dial or undefined (answered). */
  async function decide(client: Socket, method: string, host: string, port: number) {
    const name = policy.matchName(host, port);
    if (!name.allowed) {
      record({ method, host, port, allowed: false, reason: name.reason });
      answer(client, 403, 'Forbidden', `${host}:${port} refused: ${name.reason}`);
      return undefined;
    }
    let addresses: string[];
    try {
      addresses = isIP(host)
        ? [host]
        : await withTimeout(resolveHost(host), EGRESS_LIMITS.dnsTimeoutMs, 'DNS');
      if (addresses.length === 0) throw new Error('no addresses');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      record({ method, host, port, allowed: false, reason: `DNS resolution failed: ${why}` });
      answer(client, 502, 'Bad Gateway', `cannot resolve ${host}: ${why}`);
      return undefined;
    }
    // Every address must pass: a name that resolves to a public and a private address is refused.
    for (const address of addresses) {
      const verdict = policy.checkAddress(host, address, port);
      if (!verdict.allowed) {
        record({ method, host, port, allowed: false, reason: verdict.reason, address });
        answer(client, 403, 'Forbidden', `${host}:${port} refused: ${verdict.reason}`);
        return undefined;
      }
    }
    const address = addresses[0] as string;
    const event = record({ method, host, port, allowed: true, reason: name.reason, address });
    return { address, event };
  }

  function dial(
    address: string,
    port: number,
    event: EgressEvent,
    client: Socket,
  ): Promise<Socket | undefined> {
    return new Promise((resolve) => {
      const upstream = connect({ host: address, port, allowHalfOpen: true });
      open.add(upstream);
      upstream.once('close', () => open.delete(upstream));
      const timer = setTimeout(
        () => upstream.destroy(new Error('connect timed out')),
        EGRESS_LIMITS.connectTimeoutMs,
      );
      upstream.once('connect', () => {
        clearTimeout(timer);
        resolve(upstream);
      });
      upstream.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (upstream.connecting || !upstream.remoteAddress) {
          event.error = err.code ?? err.message;
          answer(client, 502, 'Bad Gateway', `cannot connect to ${event.host}:${port}: ${event.error}`);
          resolve(undefined);
        }
      });
    });
  }

  async function handle(client: Socket): Promise<void> {
    const head = await readHead(client);
    if (!head) return void client.destroy();
    if ('error' in head) {
      record({ method: '-', host: '-', port: 0, allowed: false, reason: head.error });
      return answer(client, head.status, 'Bad Request', head.error);
    }
    if (head.method === 'CONNECT') {
      const target = parseAuthority(head.target);
      if (!target) {
        record({ method: 'CONNECT', host: '-', port: 0, allowed: false, reason: 'malformed CONNECT target' });
        return answer(client, 400, 'Bad Request', 'CONNECT needs host:port');
      }
      const ok = await decide(client, 'CONNECT', target.host, target.port);
      if (!ok) return;
      const upstream = await dial(ok.address, target.port, ok.event, client);
      if (!upstream || client.destroyed) return void upstream?.destroy();
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.rest.length > 0) upstream.write(head.rest);
      splice(client, upstream);
      client.resume();
      return;
    }
    let url: URL;
    try {
      url = new URL(head.target);
    } catch {
      record({
        method: head.method,
        host: '-',
        port: 0,
        allowed: false,
        reason: 'not an absolute http:// URL',
      });
      return answer(client, 400, 'Bad Request', 'a proxy request needs an absolute http:// URL');
    }
    const host = url.protocol === 'http:' ? normaliseHost(url.hostname) : undefined;
    if (!host || url.username || url.password) {
      const reason =
        url.protocol !== 'http:' ? `scheme ${url.protocol} not proxied (use CONNECT)` : 'invalid host';
      record({ method: head.method, host: url.hostname || '-', port: 0, allowed: false, reason });
      return answer(client, 400, 'Bad Request', reason);
    }
    const port = url.port ? Number(url.port) : 80;
    const ok = await decide(client, head.method, host, port);
    if (!ok) return;
    const upstream = await dial(ok.address, port, ok.event, client);
    if (!upstream || client.destroyed) return void upstream?.destroy();
    // One request per connection: the tunnel below is raw, so keep-alive could not be re-checked.
    const lines = [`${head.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
    for (const [k, v] of head.headers) if (!HOP_BY_HOP.has(k.toLowerCase())) lines.push(`${k}: ${v}`);
    lines.push('Connection: close', '', '');
    upstream.write(Buffer.from(lines.join('\r\n'), 'latin1'));
    if (head.rest.length > 0) upstream.write(head.rest);
    splice(client, upstream);
    client.resume();
  }

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    client.on('error', () => client.destroy());
    if (open.size >= EGRESS_LIMITS.maxConnections) return void client.destroy();
    open.add(client);
    client.once('close', () => open.delete(client));
    handle(client).catch(() => client.destroy());
  });
  server.on('error', () => {
    // A listening error after start leaves the sandbox without egress: it fails closed.
  });
  server.maxConnections = EGRESS_LIMITS.maxConnections;
  server.listen(socketPath);
  // listen() on a path binds synchronously; the mode lets the sandbox's user connect.
  chmodSync(dir, 0o711);
  chmodSync(socketPath, options.socketMode ?? 0o600);
  server.unref();

  let closing: Promise<void> | undefined;
  return {
    dir,
    socketPath,
    events,
    dropped: () => dropped,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
        setTimeout(resolve, 1000).unref();
      }).then(() => rmSync(dir, { recursive: true, force: true }));
      return closing;
    },
  };
}
