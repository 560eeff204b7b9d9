// The proxy's MCP client to the real server: the SDK's Client over either a spawned process
// (stdio) or the SDK's Streamable HTTP client transport (a remote server). The era is negotiated by
// the SDK ('auto': the 2026-07-28 era when the server speaks it, else the 2025 initialize handshake).

import {
  Client,
  type FetchLike,
  StreamableHTTPClientTransport,
  type Transport,
} from '@modelcontextprotocol/client';
import { VERSION } from '../version.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './framing.js';
import { type FrameProblem, UpstreamProcessTransport } from './transports.js';

export type UpstreamEra = 'auto' | 'legacy';

interface CommonUpstreamOptions {
  era?: UpstreamEra;
  maxMessageBytes?: number;
  /** Timeout of the connect handshake (and the era probe), ms. */
  connectTimeoutMs?: number;
  /** Whether the proxy may pass sampling requests on (it then advertises the capability). */
  sampling: boolean;
  /** Whether the proxy may pass elicitation requests on. */
  elicitation: boolean;
  /** Called when the upstream's tools, prompts or resources list changed. */
  onListChanged: (kind: 'tools' | 'prompts' | 'resources') => void;
}

export interface UpstreamOptions extends CommonUpstreamOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onProblem?: (problem: FrameProblem, description: string) => void;
}

export interface HttpUpstreamOptions extends CommonUpstreamOptions {
  /** The remote server's Streamable HTTP endpoint. */
  url: URL;
  /** Extra headers for every request (e.g. an Authorization the remote server expects). */
  headers?: Record<string, string>;
}

/** A connected upstream server, whatever carries it. */
export interface Upstream {
  client: Client;
  transport: Transport;
  /** The server's declared name (its lockfile key unless the proxy is told another). */
  name: string;
  version: string | undefined;
  instructions: string | undefined;
  capabilities: NonNullable<ReturnType<Client['getServerCapabilities']>>;
}

export interface ProcessUpstream extends Upstream {
  transport: UpstreamProcessTransport;
}

export interface HttpUpstream extends Upstream {
  transport: StreamableHTTPClientTransport;
  url: URL;
}

function newClient(options: CommonUpstreamOptions): Client {
  const timeout = options.connectTimeoutMs ?? 30_000;
  const changed = (kind: 'tools' | 'prompts' | 'resources') => ({
    autoRefresh: false,
    debounceMs: 0,
    onChanged: () => options.onListChanged(kind),
  });
  return new Client(
    { name: 'portcullis-proxy', version: VERSION },
    {
      capabilities: {
        ...(options.elicitation ? { elicitation: { form: {}, url: {} } } : {}),
        ...(options.sampling ? { sampling: {} } : {}),
        roots: { listChanged: true },
      },
      versionNegotiation: {
        mode: options.era === 'legacy' ? 'legacy' : 'auto',
        probe: { timeoutMs: Math.min(timeout, 5000) },
      },
      listChanged: { tools: changed('tools'), prompts: changed('prompts'), resources: changed('resources') },
    },
  );
}

function describeServer(client: Client, fallbackName: string): Omit<Upstream, 'client' | 'transport'> {
  const info = client.getServerVersion();
  return {
    name: typeof info?.name === 'string' && info.name.length > 0 ? info.name : fallbackName,
    version: typeof info?.version === 'string' ? info.version : undefined,
    instructions: client.getInstructions(),
    capabilities: client.getServerCapabilities() ?? {},
  };
}

export async function connectUpstream(options: UpstreamOptions): Promise<ProcessUpstream> {
  const transport = new UpstreamProcessTransport({
    command: options.command,
    args: options.args,
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
    ...(options.onProblem ? { onProblem: options.onProblem } : {}),
  });
  const client = newClient(options);
  await client.connect(transport, { timeout: options.connectTimeoutMs ?? 30_000 });
  return { client, transport, ...describeServer(client, options.command) };
}

/** A remote server over Streamable HTTP. Redirects are followed only within the same origin. */
export async function connectHttpUpstream(options: HttpUpstreamOptions): Promise<HttpUpstream> {
  if (options.url.protocol !== 'http:' && options.url.protocol !== 'https:')
    throw new Error(`the upstream URL must be http: or https:, not ${options.url.protocol}`);
  const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const transport = new StreamableHTTPClientTransport(options.url, {
    fetch: boundedFetch(max),
    redirectPolicy: 'same-origin',
    ...(options.headers ? { requestInit: { headers: options.headers } } : {}),
  });
  const client = newClient(options);
  await client.connect(transport, { timeout: options.connectTimeoutMs ?? 30_000 });
  return { client, transport, url: options.url, ...describeServer(client, options.url.host) };
}

/**
 * fetch whose response bodies are bounded: a JSON body over `max` bytes, or one SSE event over
 * `max` bytes, errors the stream (the SDK then fails that request) instead of filling memory.
 */
export function boundedFetch(max: number, base: FetchLike = fetch): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    if (!response.body) return response;
    const sse = (response.headers.get('content-type') ?? '').toLowerCase().includes('text/event-stream');
    const limited = response.body.pipeThrough(byteLimit(max, sse));
    return new Response(limited, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** Counts bytes of the whole body, or (SSE) since the last event boundary, a blank line. */
function byteLimit(max: number, perEvent: boolean): TransformStream<Uint8Array, Uint8Array> {
  let since = 0;
  let lastByte = -1;
  return new TransformStream({
    transform(chunk, controller) {
      if (perEvent) {
        let boundary = -1;
        for (let i = chunk.length - 1; i >= 0; i--) {
          const prev = i > 0 ? chunk[i - 1] : lastByte;
          // "\n\n" (also the tail of "\r\n\r\n") ends an event.
          if (chunk[i] === 0x0a && prev === 0x0a) {
            boundary = i;
            break;
          }
          if (chunk[i] === 0x0a && prev === 0x0d && i > 1 && chunk[i - 2] === 0x0a) {
            boundary = i;
            break;
          }
        }
        since = boundary === -1 ? since + chunk.length : chunk.length - boundary - 1;
        if (chunk.length > 0) lastByte = chunk[chunk.length - 1] as number;
      } else {
        since += chunk.length;
      }
      if (since > max) {
        controller.error(
          new Error(
            `the upstream sent a ${perEvent ? 'stream event' : 'response'} over the ${max}-byte limit`,
          ),
        );
        return;
      }
      controller.enqueue(chunk);
    },
  });
}
