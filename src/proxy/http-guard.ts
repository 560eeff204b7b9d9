// The HTTP listener's own defences, checked before any MCP processing: where it may bind, which
// Host and Origin headers it answers (DNS rebinding), and how much body it reads. Options are
// compiled once (invalid ones throw at setup); each request check is a few set lookups.

import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { PortcullisError } from '../core/errors.js';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `HOST:PORT`, `[V6]:PORT` or a bare `PORT` (on 127.0.0.1). Port 0 asks for an ephemeral port. */
export function parseListen(text: string): ListenAddress {
  const bad = (why: string) =>
    new PortcullisError('USAGE', `--listen expects HOST:PORT (e.g. 127.0.0.1:8931): ${why}`, {
      field: '--listen',
    });
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(text.trim());
  if (!m) throw bad(`cannot read "${text}"`);
  const port = Number(m[2]);
  if (port > 65535) throw bad(`port ${port} is out of range`);
  let host = m[1] ?? '127.0.0.1';
  if (host.startsWith('[')) host = host.slice(1, -1);
  if (host !== 'localhost' && isIP(host) === 0 && !/^[a-zA-Z0-9.-]{1,253}$/.test(host))
    throw bad(`"${host}" is not a host name or address`);
  return { host, port };
}

/** Loopback only: 127.0.0.0/8, ::1 (also v4-mapped), `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The host name part of a Host header or origin host, lower-cased, IPv6 without brackets. */
function hostnameOf(hostHeader: string): string | undefined {
  try {
    const h = new URL(`http://${hostHeader}`).hostname.toLowerCase();
    return h.startsWith('[') ? h.slice(1, -1) : h;
  } catch {
    return undefined;
  }
}

export interface HttpRefusal {
  status: number;
  /** The audit rule: `http-host`, `http-origin`, `http-size`, `http-json`, … */
  rule: string;
  reason: string;
}

export interface ListenerPolicy {
  /** Host header names the listener answers to (lower case, IPv6 unbracketed). */
  hosts: ReadonlySet<string>;
  /** Exact origins (scheme://host[:port]) allowed besides loopback ones. */
  origins: ReadonlySet<string>;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '::0']);

/** Loopback names, the listen host (unless a wildcard), and the extras; origins normalised. */
export function listenerPolicy(
  listen: ListenAddress,
  allowHosts: readonly string[] = [],
  allowOrigins: readonly string[] = [],
): ListenerPolicy {
  const hosts = new Set(['localhost', '127.0.0.1', '::1']);
  if (!WILDCARDS.has(listen.host)) hosts.add(listen.host.toLowerCase());
  for (const h of allowHosts) {
    const name = hostnameOf(h.trim());
    if (!name || name.length === 0)
      throw new PortcullisError('USAGE', `--allow-host: "${h}" is not a host name`, {
        field: '--allow-host',
      });
    hosts.add(name);
  }
  const origins = new Set<string>();
  for (const o of allowOrigins) {
    let origin: string;
    try {
      origin = new URL(o.trim()).origin;
    } catch {
      origin = 'null';
    }
    if (origin === 'null' || o.includes('*'))
      throw new PortcullisError(
        'USAGE',
        `--allow-origin: "${o}" is not an origin such as https://app.example`,
        {
          field: '--allow-origin',
        },
      );
    origins.add(origin);
  }
  return { hosts, origins };
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined | null {
  const v = headers[name];
  if (Array.isArray(v)) return null; // repeated: ambiguous, refused
  return v;
}

/**
 * DNS rebinding defence: the Host must name this listener, and a browser's Origin (absent for
 * non-browser clients) must be a loopback page, the listen host, or an allowed origin.
 */
export function checkHeaders(policy: ListenerPolicy, headers: IncomingHttpHeaders): HttpRefusal | undefined {
  const host = single(headers, 'host');
  if (host === null || !host)
    return {
      status: 403,
      rule: 'http-host',
      reason: host === null ? 'repeated Host header' : 'no Host header',
    };
  const name = hostnameOf(host);
  if (!name || !policy.hosts.has(name))
    return {
      status: 403,
      rule: 'http-host',
      reason: `Host ${JSON.stringify(host.slice(0, 100))} is not this listener (DNS rebinding?); allow it with --allow-host`,
    };
  const origin = single(headers, 'origin');
  if (origin === undefined) return undefined;
  if (origin !== null && origin !== 'null') {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) {
      if (policy.origins.has(parsed.origin)) return undefined;
      const oh = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
      if (isLoopback(oh) || policy.hosts.has(oh.toLowerCase())) return undefined;
    }
  }
  return {
    status: 403,
    rule: 'http-origin',
    reason: `Origin ${JSON.stringify(String(origin).slice(0, 100))} is not allowed; allow it with --allow-origin`,
  };
}

export type BodyRead = { ok: true; bytes: Buffer } | { ok: false; refusal: HttpRefusal };

/**
 * Reads a request body of at most `max` bytes. A declared Content-Length over the bound is refused
 * before reading; a body that grows past it is refused as soon as it does.
 */
export function readBody(req: IncomingMessage, max: number): Promise<BodyRead> {
  const tooBig = (n: number | string): BodyRead => ({
    ok: false,
    refusal: {
      status: 413,
      rule: 'http-size',
      reason: `request body of ${n} bytes exceeds the ${max}-byte limit`,
    },
  });
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > max) return Promise.resolve(tooBig(declared));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyRead) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(r);
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.pause();
        finish(tooBig(`more than ${max}`));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, bytes: Buffer.concat(chunks, size) }));
    req.once('error', (e) =>
      finish({
        ok: false,
        refusal: { status: 400, rule: 'http-body', reason: `request body failed: ${e.message}` },
      }),
    );
    req.once('close', () =>
      finish({
        ok: false,
        refusal: { status: 400, rule: 'http-body', reason: 'the client closed before the body ended' },
      }),
    );
  });
}

/** application/json (any parameters); anything else is refused with 415. */
export function isJsonMediaType(value: string | undefined): boolean {
  if (!value) return false;
  return value.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
