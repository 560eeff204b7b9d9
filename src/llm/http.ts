// JSON over HTTP to a local model server, with the limits an untrusted peer needs: a deadline for
// the whole exchange, a cap on the bytes read, and errors that say which server and what to do.
// Plain `fetch` (undici in Node 20): no SDK reads API keys or base URLs from the environment
// behind our back, so the only host ever contacted is the one the user named.
import { PortcullisError } from '../core/errors.js';

/** Local models are slow on a CPU: one answer may take minutes. */
export const DEFAULT_CHAT_TIMEOUT_MS = 300_000;
/** Listing models is instant on any healthy server. */
export const DEFAULT_DESCRIBE_TIMEOUT_MS = 10_000;
/** A chat answer is a few KiB; anything near this is a broken or hostile server. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface JsonRequest {
  method: 'GET' | 'POST';
  url: URL;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  maxBytes: number;
  /** What to tell the user when nothing answers (how to start a server). */
  unreachableHint: string;
}

export interface JsonResponse {
  status: number;
  /** Parsed body; `undefined` when the body was empty. */
  body: unknown;
}

/** The server's own words for an error status, when its body carries them (`{"error": ...}`). */
export function serverErrorText(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error.slice(0, 500);
  if (error && typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message.slice(0, 500);
  }
  return undefined;
}

function origin(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/** Network-level failure codes that mean "nobody is listening there". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET',
]);

function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

async function readCapped(response: Response, maxBytes: number, url: URL): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(url, maxBytes);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(url: URL, maxBytes: number): PortcullisError {
  return new PortcullisError(
    'INPUT_INVALID',
    `the model server's answer is larger than ${maxBytes} bytes; refusing to read it`,
    { file: `${origin(url)}${url.pathname}` },
  );
}

/** One request, one JSON answer. Throws PortcullisError on every failure, never hangs past the deadline. */
export async function requestJson(req: JsonRequest): Promise<JsonResponse> {
  const where = `${origin(req.url)}${req.url.pathname}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(req.url, {
        method: req.method,
        headers: {
          accept: 'application/json',
          ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...req.headers,
        },
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        signal: controller.signal,
        redirect: 'error',
      });
    } catch (err) {
      if (controller.signal.aborted) throw timedOut(req, where);
      const code = causeCode(err);
      const why = code && UNREACHABLE_CODES.has(code) ? code : (err as Error).message;
      throw new PortcullisError(
        'USAGE',
        `no model server answers at ${origin(req.url)} (${why}). ${req.unreachableHint}`,
        undefined,
        { cause: err },
      );
    }
    let text: string;
    try {
      text = await readCapped(response, req.maxBytes, req.url);
    } catch (err) {
      if (err instanceof PortcullisError) throw err;
      if (controller.signal.aborted) throw timedOut(req, where);
      throw new PortcullisError(
        'INPUT_INVALID',
        `the model server's answer broke off: ${(err as Error).message}`,
        {
          file: where,
        },
      );
    }
    if (text.trim() === '') return { status: response.status, body: undefined };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // An error page in HTML is still an error status the caller explains; only a 2xx must be JSON.
      if (response.status >= 400) return { status: response.status, body: text.slice(0, 500) };
      throw new PortcullisError(
        'INPUT_INVALID',
        `the model server answered with something that is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
        { file: where },
      );
    }
    return { status: response.status, body };
  } finally {
    clearTimeout(timer);
  }
}

function timedOut(req: JsonRequest, where: string): PortcullisError {
  return new PortcullisError(
    'USAGE',
    `the model server did not answer within ${Math.round(req.timeoutMs / 1000)} s`,
    { file: where },
  );
}

/** Base URLs are the user's: only http(s), no credentials in the URL (they would end up in reports). */
export function parseBaseUrl(text: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PortcullisError('USAGE', `${what} is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PortcullisError('USAGE', `${what} must be http:// or https://, got ${url.protocol}`);
  if (url.username || url.password)
    throw new PortcullisError(
      'USAGE',
      `${what} must not carry credentials; set PORTCULLIS_LLM_API_KEY for a server that wants a key`,
    );
  url.hash = '';
  url.search = '';
  return url;
}

/** `base` + `path`, keeping any path prefix the base has (`http://h/openai/v1` + `/models`). */
export function joinUrl(base: URL, path: string): URL {
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  return url;
}
