// Client sessions of the HTTP face. Each client gets its own ProxyCore — its own guard session
// (labels, provenance) and audit session id — over the one upstream and the one audit log.
// 2025-era clients are keyed by the Mcp-Session-Id the proxy issues at initialize; the 2026-07-28
// era has no protocol session, so the proxy keys those clients itself (see modernClientKey).

import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  CLIENT_INFO_META_KEY,
  type Server,
  type WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import { ProxyCore, type ProxyCoreOptions } from './core.js';
import type { FaceHooks } from './face.js';

/** Header a client may send to name its conversation explicitly (2026-07-28 era). */
export const SESSION_HEADER = 'portcullis-session';

export interface ClientSession {
  /** The guard and audit session id (never the protocol session id, which is a bearer value). */
  readonly id: string;
  readonly era: 'legacy' | 'modern';
  readonly key: string;
  readonly core: ProxyCore;
  readonly hooks: FaceHooks;
  lastUsed: number;
  inflight: number;
  /** 2025 era: the session's own SDK server and transport, which live as long as the session. */
  legacy?: { server: Server; transport: WebStandardStreamableHTTPServerTransport };
}

/**
 * How a 2026-07-28 client is told apart: an explicit `Portcullis-Session` header when the client
 * sends one, else its address and the clientInfo its requests carry. Two instances of one client
 * on one host share a session — the conservative direction: labels only accumulate.
 */
export function modernClientKey(headers: IncomingHttpHeaders, body: unknown, remote: string): string {
  const explicit = headers[SESSION_HEADER];
  const h = createHash('sha256');
  if (typeof explicit === 'string' && explicit.length > 0) {
    h.update(`explicit\0${explicit.slice(0, 256)}`);
  } else {
    const first = Array.isArray(body) ? body[0] : body;
    const meta = (first as { params?: { _meta?: Record<string, unknown> } } | undefined)?.params?._meta;
    const info = meta?.[CLIENT_INFO_META_KEY] as { name?: unknown; version?: unknown } | undefined;
    h.update(
      `client\0${remote}\0${String(info?.name ?? '').slice(0, 256)}\0${String(info?.version ?? '').slice(0, 64)}`,
    );
  }
  return `modern:${h.digest('base64url')}`;
}

export interface SessionTableOptions {
  max: number;
  idleMs: number;
  coreOptions: Omit<ProxyCoreOptions, 'sessionId'>;
  /** Counts work across all sessions (shutdown waits for it). */
  track<T>(work: () => Promise<T>): Promise<T>;
  onUnknownMethod(session: ClientSession, method: string): void;
  onClosed(session: ClientSession, why: string): void;
}

export class SessionTable {
  private readonly byKey = new Map<string, ClientSession>();

  constructor(private readonly options: SessionTableOptions) {}

  get size(): number {
    return this.byKey.size;
  }

  all(): IterableIterator<ClientSession> {
    return this.byKey.values();
  }

  get(key: string): ClientSession | undefined {
    const s = this.byKey.get(key);
    if (s) s.lastUsed = Date.now();
    return s;
  }

  /** A new session, or undefined when the table is full of sessions that are all busy. */
  create(era: 'legacy' | 'modern', key: string): ClientSession | undefined {
    if (this.byKey.size >= this.options.max && !this.evictIdlest()) return undefined;
    const id = randomUUID();
    const core = new ProxyCore({ ...this.options.coreOptions, sessionId: id });
    const session: ClientSession = {
      id,
      era,
      key,
      core,
      lastUsed: Date.now(),
      inflight: 0,
      hooks: {
        track: (work) =>
          this.options.track(async () => {
            session.inflight++;
            session.lastUsed = Date.now();
            try {
              return await work();
            } finally {
              session.inflight--;
              session.lastUsed = Date.now();
            }
          }),
        onUnknownMethod: (method) => this.options.onUnknownMethod(session, method),
      },
    };
    this.byKey.set(key, session);
    return session;
  }

  close(session: ClientSession, why: string): void {
    if (this.byKey.get(session.key) !== session) return;
    this.byKey.delete(session.key);
    this.options.onClosed(session, why);
  }

  /** Closes sessions idle for longer than the idle timeout. */
  sweep(now = Date.now()): void {
    for (const s of [...this.byKey.values()])
      if (s.inflight === 0 && now - s.lastUsed > this.options.idleMs) this.close(s, 'idle');
  }

  private evictIdlest(): boolean {
    let idlest: ClientSession | undefined;
    for (const s of this.byKey.values())
      if (s.inflight === 0 && (!idlest || s.lastUsed < idlest.lastUsed)) idlest = s;
    if (!idlest) return false;
    this.close(idlest, 'evicted: too many sessions');
    return true;
  }
}
