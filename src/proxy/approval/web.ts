// A local approval page: node:http on 127.0.0.1, a random port, and a random 256-bit token in the
// path (the URL is the capability; it is printed to stderr, never sent to the client). Answers are
// POSTed forms that must carry the page's CSRF value and come from the page's own origin (Origin
// and Sec-Fetch-Site checked); Host is checked against DNS rebinding; bodies, headers and request
// times are bounded. The server starts on the first question.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApprovalAnswer, ApprovalChannel, ApprovalRequest } from '../../guard/index.js';
import { type ApprovalView, viewOf } from './describe.js';
import { type AnsweredView, PAGE_STYLE_HASH, renderPage } from './page.js';

const MAX_BODY_BYTES = 4096;
const MAX_PENDING = 100;
const MAX_ANSWERED = 20;

export interface WebChannelOptions {
  /** Told the page's URL when a question is waiting (default: nowhere). */
  announce?: (line: string) => void;
  /** For the page's countdown only (the chain enforces the timeout). */
  timeoutMs?: number;
  host?: string;
  port?: number;
  now?: () => number;
}

interface Pending {
  view: ApprovalView;
  askedAt: number;
  resolve: (answer: ApprovalAnswer) => void;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class WebChannel implements ApprovalChannel {
  readonly name = 'web';
  private readonly token = randomBytes(32).toString('base64url');
  private readonly csrf = randomBytes(32).toString('base64url');
  private readonly pending = new Map<string, Pending>();
  private readonly answered: AnsweredView[] = [];
  private readonly now: () => number;
  private server: Server | undefined;
  private starting: Promise<string> | undefined;
  private failed = false;
  private closed = false;
  private origin = '';

  constructor(private readonly options: WebChannelOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  available(): boolean {
    return !this.failed && !this.closed;
  }

  /** Starts the page (once) and resolves with its URL. */
  start(): Promise<string> {
    this.starting ??= new Promise<string>((resolve, reject) => {
      const server = createServer((req, res) => this.handle(req, res));
      server.headersTimeout = 10_000;
      server.requestTimeout = 10_000;
      server.keepAliveTimeout = 2_000;
      server.maxHeadersCount = 50;
      server.maxConnections = 32;
      server.once('error', (e) => {
        this.failed = true;
        reject(e);
      });
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        const address = server.address();
        if (!address || typeof address === 'string') {
          this.failed = true;
          reject(new Error('the approval page has no address'));
          return;
        }
        server.unref();
        this.server = server;
        this.origin = `http://${address.address}:${address.port}`;
        resolve(this.url);
      });
    });
    return this.starting;
  }

  get url(): string {
    return `${this.origin}/${this.token}/`;
  }

  async ask(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    let url: string;
    try {
      url = await this.start();
    } catch (e) {
      return {
        granted: false,
        scope: 'once',
        by: this.name,
        reason: `the approval page could not start: ${(e as Error).message}`,
      };
    }
    if (this.closed)
      return { granted: false, scope: 'once', by: this.name, reason: 'the approval page is closed' };
    if (this.pending.size >= MAX_PENDING)
      return { granted: false, scope: 'once', by: this.name, reason: 'too many approvals pending' };
    if (signal?.aborted) return { granted: false, scope: 'once', by: this.name, reason: 'not asked in time' };
    const id = randomBytes(12).toString('base64url');
    const view = viewOf(request);
    return new Promise<ApprovalAnswer>((resolve) => {
      const done = (answer: ApprovalAnswer) => {
        if (!this.pending.delete(id)) return;
        signal?.removeEventListener('abort', onAbort);
        this.remember(view, answer.granted ? `allowed (${answer.scope})` : 'denied');
        resolve(answer);
      };
      const onAbort = () =>
        done({ granted: false, scope: 'once', by: this.name, reason: 'no answer in time' });
      this.pending.set(id, { view, askedAt: this.now(), resolve: done });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.options.announce?.(`approval needed for ${view.server}/${view.tool}: open ${url}`);
    });
  }

  private remember(view: ApprovalView, outcome: string): void {
    this.answered.unshift({ view, outcome, at: this.now() });
    this.answered.length = Math.min(this.answered.length, MAX_ANSWERED);
  }

  /** Answers the request; true, so a handler can `return this.send(...)`. */
  private send(
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): true {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; style-src '${PAGE_STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      // same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on the form's POST.
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
      ...headers,
    });
    res.end(body);
    return true;
  }

  private handle(req: IncomingMessage, res: ServerResponse): boolean {
    try {
      // DNS rebinding: a page on another name that resolves here is refused.
      if (req.headers.host !== this.origin.slice('http://'.length)) return this.send(res, 421, 'wrong host');
      const path = (req.url ?? '').split('?')[0] ?? '';
      const base = `/${this.token}/`;
      // Constant-time comparison of the token part; everything else is a plain 404.
      const given = path.slice(0, base.length);
      if (!sameSecret(given, base)) return this.send(res, 404, 'not found');
      const rest = path.slice(base.length);
      if (rest === '' && (req.method === 'GET' || req.method === 'HEAD')) return this.page(res);
      if (rest === 'answer' && req.method === 'POST') return this.answer(req, res);
      return this.send(res, 405, 'method not allowed', { Allow: rest === '' ? 'GET' : 'POST' });
    } catch {
      if (!res.headersSent) return this.send(res, 500, 'error');
      res.destroy();
      return false;
    }
  }

  private page(res: ServerResponse): boolean {
    const t = this.now();
    const timeout = this.options.timeoutMs ?? 0;
    const pending = [...this.pending].map(([id, p]) => ({
      id,
      view: p.view,
      leftMs: Math.max(0, p.askedAt + timeout - t),
    }));
    return this.send(
      res,
      200,
      renderPage({ answerPath: `/${this.token}/answer`, csrf: this.csrf, pending, answered: this.answered }),
    );
  }

  private answer(req: IncomingMessage, res: ServerResponse): boolean {
    // Cross-site requests: a browser always sends Origin on a POST; it must be this page's.
    if (req.headers.origin !== this.origin) return this.send(res, 403, 'cross-origin request refused');
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin')
      return this.send(res, 403, 'cross-site request refused');
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') return this.send(res, 415, 'form expected');
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) return this.send(res, 413, 'too large', { Connection: 'close' });
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES && !refused) {
        refused = true;
        this.send(res, 413, 'too large', { Connection: 'close' });
        req.destroy();
      } else if (!refused) chunks.push(c);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (refused) return;
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (!sameSecret(form.get('csrf') ?? '', this.csrf)) return this.send(res, 403, 'stale or forged form');
      const decision = form.get('decision');
      const entry = this.pending.get(form.get('id') ?? '');
      if (!entry) return this.send(res, 410, 'this question is no longer waiting (answered or timed out)');
      if (decision === 'once' || decision === 'session')
        entry.resolve({ granted: true, scope: decision, by: this.name });
      else if (decision === 'deny')
        entry.resolve({
          granted: false,
          scope: 'once',
          by: this.name,
          reason: 'denied on the approval page',
        });
      else return this.send(res, 400, 'unknown decision');
      return this.send(res, 303, 'answered', { Location: `/${this.token}/` });
    });
    return true;
  }

  /** Denies what is pending and stops the page. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of [...this.pending.values()])
      p.resolve({ granted: false, scope: 'once', by: this.name, reason: 'the proxy is shutting down' });
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
