// Helpers for the HTTP proxy tests: an in-process proxy (src/, no build) in front of a fixture
// server, and SDK clients over real Streamable HTTP in either protocol era.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { AuditLog } from '../../src/audit/index.js';
import { createGuard } from '../../src/guard/index.js';
import { type HttpProxy, type HttpProxyOptions, startHttpProxy } from '../../src/proxy/http.js';
import { ProxyLog } from '../../src/proxy/log.js';
import { node, servers } from './helpers.js';

export type Era = 'legacy' | '2026-07-28';

export type Result = {
  content: { type: string; text?: string }[];
  isError?: boolean;
  _meta?: Record<string, unknown>;
};
export const portcullisMeta = (r: Result) =>
  r._meta?.portcullis as { decision: string; rule: string; flags: string[]; reason?: string };
export const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');

export interface Started {
  proxy: HttpProxy;
  logs: string[];
}

/** The proxy in process, listening on an ephemeral loopback port. */
export async function startProxy(
  auditFile: string,
  upstream: HttpProxyOptions['upstream'] | 'mail-stdio',
  extra: Partial<HttpProxyOptions> = {},
  env: Record<string, string> = {},
): Promise<Started> {
  const logs: string[] = [];
  const proxy = await startHttpProxy({
    listen: { host: '127.0.0.1', port: 0 },
    upstream:
      upstream === 'mail-stdio'
        ? { command: node, args: [join(servers, 'email.mjs')], env: { ...process.env, ...env } }
        : upstream,
    guard: createGuard(),
    openAudit: () => AuditLog.open(auditFile),
    callTimeoutMs: 15_000,
    log: new ProxyLog((l) => logs.push(l)),
    ...extra,
  });
  return { proxy, logs };
}

/** An SDK client over Streamable HTTP; `2026-07-28` pins the sessionless era, `legacy` initializes. */
export async function connectHttp(
  url: string,
  era: Era,
  options: { name?: string; headers?: Record<string, string> } = {},
): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(options.headers ? { requestInit: { headers: options.headers } } : {}),
  });
  const client = new Client(
    { name: options.name ?? 'http-test', version: '1.0.0' },
    era === 'legacy' ? {} : { versionNegotiation: { mode: { pin: era } } },
  );
  await client.connect(transport, { timeout: 30_000 });
  return client;
}

export function records(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.type === 'decision');
}

/** A raw HTTP request to the proxy, for what SDK clients never send. */
export async function rawPost(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Headers }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });
  return { status: r.status, body: await r.text(), headers: r.headers };
}
