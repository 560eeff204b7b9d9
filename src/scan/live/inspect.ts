// Live inspection: start (or connect to) an MCP server with the official SDK client, read its
// identity, instructions, tools, prompts and resources, and stop it. Every step has a timeout,
// every list a page and item cap, every message a size cap; a stdio server's whole process tree is
// ended on success, error and timeout alike.
//
// Starting a server runs untrusted code. The `sandbox` hook wraps the command line (the CLI passes
// the sandbox's, src/sandbox/command.ts); without it the server runs unsandboxed.

import {
  Client,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { PortcullisError } from '../../core/errors.js';
import { VERSION } from '../../version.js';
import { GroupStdioTransport } from './stdio-transport.js';
import { type InspectTarget, targetName } from './target.js';

export interface InspectOptions {
  /** Time to start and finish the initialize handshake. Default 15 s (package runners download first). */
  connectTimeoutMs?: number;
  /** Time for each list request (each page). Default 10 s. */
  requestTimeoutMs?: number;
  /** Time for the whole inspection, start to stop. Default 60 s. */
  totalTimeoutMs?: number;
  /** Pages read per list before stopping (the result says it was truncated). Default 50. */
  maxPages?: number;
  /** Items kept per list. Default 2,000. */
  maxItems?: number;
  /** Largest single message (stdio) or response body (HTTP) accepted. Default 8 MiB. */
  maxMessageBytes?: number;
  /** SIGTERM → SIGKILL grace period when stopping a stdio server. Default 2 s. */
  killGraceMs?: number;
  /**
   * Wraps the command line before it is started (the sandbox's hook, e.g. `argv => ['bwrap', …, ...argv]`).
   * Without it the server runs unsandboxed, with the user's rights.
   */
  sandbox?: (argv: string[]) => string[];
  /** The server's stderr, as it arrives (default: kept, not shown). */
  onStderr?: (chunk: string) => void;
  /** Cancels the inspection; the server is stopped. */
  signal?: AbortSignal;
}

export interface LiveTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

export interface LivePrompt {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
}

export interface LiveResource {
  name: string;
  uri: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface InspectResult {
  /** The target's name (config key, URL host or program). */
  name: string;
  server: { name?: string; version?: string; instructions?: string };
  protocolVersion?: string;
  tools: LiveTool[];
  prompts: LivePrompt[];
  resources: LiveResource[];
  /** Lists cut short by a cap, and list calls that failed (the server is still reported). */
  notes: string[];
  /** For stdio: whether every process of the server's tree was verified gone afterwards. */
  processTreeEnded?: boolean;
}

const DEFAULTS = {
  connectTimeoutMs: 15_000,
  requestTimeoutMs: 10_000,
  totalTimeoutMs: 60_000,
  maxPages: 50,
  maxItems: 2_000,
  maxMessageBytes: 8 * 1024 * 1024,
  killGraceMs: 2_000,
};

type ListMethod = 'tools/list' | 'prompts/list' | 'resources/list';

/** A fetch that refuses response bodies larger than `max` bytes (a hostile server can stream forever). */
function cappedFetch(max: number): (url: string | URL, init?: RequestInit) => Promise<Response> {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (!response.body) return response;
    let seen = 0;
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > max) controller.error(new Error(`response larger than ${max} bytes`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(limited, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function makeTransport(target: InspectTarget, o: typeof DEFAULTS & InspectOptions): Transport {
  if (target.kind === 'stdio') {
    const argv = [target.command, ...(target.args ?? [])];
    const wrapped = o.sandbox ? o.sandbox(argv) : argv;
    if (!Array.isArray(wrapped) || wrapped.length === 0 || wrapped.some((w) => typeof w !== 'string')) {
      throw new PortcullisError('INTERNAL', 'the sandbox hook returned no command line');
    }
    return new GroupStdioTransport({
      argv: wrapped,
      // Only the SDK's safe variables (PATH, HOME, …) plus the entry's own env: the server does
      // not inherit this process's secrets.
      env: { ...getDefaultEnvironment(), ...(target.env ?? {}) },
      ...(target.cwd ? { cwd: target.cwd } : {}),
      maxMessageBytes: o.maxMessageBytes,
      killGraceMs: o.killGraceMs,
      ...(o.onStderr ? { onStderr: o.onStderr } : {}),
    });
  }
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new PortcullisError('USAGE', `not a valid URL: ${target.url}`, { field: 'url' });
  }
  const requestInit: RequestInit = target.headers ? { headers: target.headers } : {};
  const fetchCapped = cappedFetch(o.maxMessageBytes);
  return target.kind === 'sse'
    ? new SSEClientTransport(url, { requestInit, fetch: fetchCapped })
    : new StreamableHTTPClientTransport(url, {
        requestInit,
        fetch: fetchCapped,
        redirectPolicy: 'same-origin',
      });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new PortcullisError('INPUT_INVALID', `${what} timed out after ${ms} ms`)),
      ms,
    );
    const onAbort = (): void =>
      reject(signal.reason instanceof Error ? signal.reason : new Error('inspection cancelled'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

async function listAll<T>(
  client: Client,
  method: ListMethod,
  key: 'tools' | 'prompts' | 'resources',
  o: typeof DEFAULTS,
  signal: AbortSignal,
  notes: string[],
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  const seenCursors = new Set<string>();
  for (let page = 0; ; page++) {
    if (page >= o.maxPages) {
      notes.push(`${method}: stopped after ${o.maxPages} pages; the server has more`);
      break;
    }
    const result = (await withTimeout(
      client.request(
        { method, params: cursor === undefined ? {} : { cursor } },
        { timeout: o.requestTimeoutMs, signal },
      ),
      o.requestTimeoutMs + 1000,
      method,
      signal,
    )) as unknown as Record<string, unknown>;
    const pageItems = Array.isArray(result[key]) ? (result[key] as T[]) : [];
    for (const item of pageItems) {
      if (items.length >= o.maxItems) {
        notes.push(`${method}: kept the first ${o.maxItems} items`);
        return items;
      }
      items.push(item);
    }
    const next = result.nextCursor;
    if (typeof next !== 'string' || next === '') break;
    if (seenCursors.has(next)) {
      notes.push(`${method}: the server repeated a cursor; stopped`);
      break;
    }
    seenCursors.add(next);
    cursor = next;
  }
  return items;
}

function pick<T extends object>(
  raw: Record<string, unknown>,
  keys: readonly (keyof T & string)[],
): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (raw[k] !== undefined) out[k] = raw[k];
  return out as Partial<T>;
}

/**
 * Starts or connects to the server, lists what it offers, and stops it. Throws a PortcullisError
 * when the server cannot be started or does not complete the handshake in time; list calls that
 * fail after the handshake are recorded in `notes`.
 */
export async function inspectServer(
  target: InspectTarget,
  options: InspectOptions = {},
): Promise<InspectResult> {
  const o = { ...DEFAULTS, ...options };
  const name = targetName(target);
  // First, before any timer exists: the sandbox hook may refuse the command (nothing to clean up).
  const transport = makeTransport(target, o);
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const total = setTimeout(
    () =>
      controller.abort(
        new PortcullisError(
          'INPUT_INVALID',
          `inspection of "${name}" timed out after ${o.totalTimeoutMs} ms`,
        ),
      ),
    o.totalTimeoutMs,
  );
  const client = new Client({ name: 'portcullis', version: VERSION }, { capabilities: {} });
  client.onerror = () => {
    // Protocol noise from a misbehaving server is not fatal; failures surface through requests.
  };
  const notes: string[] = [];
  let result: InspectResult | undefined;
  try {
    try {
      await withTimeout(
        client.connect(transport, { timeout: o.connectTimeoutMs, signal: controller.signal }),
        o.connectTimeoutMs + 1000,
        `connecting to "${name}"`,
        controller.signal,
      );
    } catch (err) {
      const stderr = transport instanceof GroupStdioTransport ? transport.stderr.trim() : '';
      const why = err instanceof Error ? err.message : String(err);
      throw new PortcullisError(
        'INPUT_INVALID',
        `could not start or connect to "${name}": ${why}${stderr ? `\nserver stderr: ${stderr.slice(-800)}` : ''}`,
        undefined,
        { cause: err },
      );
    }
    const info = client.getServerVersion();
    const caps = client.getServerCapabilities() ?? {};
    const instructions = client.getInstructions();
    result = {
      name,
      server: {
        ...(typeof info?.name === 'string' ? { name: info.name } : {}),
        ...(typeof info?.version === 'string' ? { version: info.version } : {}),
        ...(typeof instructions === 'string' ? { instructions } : {}),
      },
      tools: [],
      prompts: [],
      resources: [],
      notes,
    };
    const protocolVersion = client.getNegotiatedProtocolVersion();
    if (protocolVersion) result.protocolVersion = protocolVersion;
    const live = result;

    const tryList = async <T>(method: ListMethod, key: 'tools' | 'prompts' | 'resources'): Promise<T[]> => {
      try {
        return await listAll<T>(client, method, key, o, controller.signal, notes);
      } catch (err) {
        if (controller.signal.aborted) throw controller.signal.reason;
        notes.push(`${method} failed: ${err instanceof Error ? err.message : String(err)}`);
        return [];
      }
    };
    // Tools are listed even without the capability: some servers forget to declare it.
    const tools = await tryList<Record<string, unknown>>('tools/list', 'tools');
    live.tools = tools
      .filter((t) => typeof t.name === 'string')
      .map(
        (t) =>
          pick<LiveTool>(t, [
            'name',
            'title',
            'description',
            'inputSchema',
            'outputSchema',
            'annotations',
          ]) as LiveTool,
      );
    if (caps.prompts) {
      const prompts = await tryList<Record<string, unknown>>('prompts/list', 'prompts');
      live.prompts = prompts
        .filter((p) => typeof p.name === 'string')
        .map((p) => pick<LivePrompt>(p, ['name', 'title', 'description', 'arguments']) as LivePrompt);
    }
    if (caps.resources) {
      const resources = await tryList<Record<string, unknown>>('resources/list', 'resources');
      live.resources = resources
        .filter((r) => typeof r.name === 'string' && typeof r.uri === 'string')
        .map(
          (r) => pick<LiveResource>(r, ['name', 'uri', 'title', 'description', 'mimeType']) as LiveResource,
        );
    }
    return live;
  } catch (err) {
    if (controller.signal.aborted && controller.signal.reason instanceof Error)
      throw controller.signal.reason;
    throw err;
  } finally {
    clearTimeout(total);
    options.signal?.removeEventListener('abort', onOuterAbort);
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
    // The result object is returned after this block runs, so it carries the outcome of the stop.
    if (result && transport instanceof GroupStdioTransport)
      result.processTreeEnded = transport.treeGone === true;
  }
}
