// The proxy's MCP client to the real server: the SDK's Client over the process transport, with
// the era negotiated by the SDK ('auto': the 2026-07-28 era when the server speaks it, else the
// 2025 initialize handshake).

import { Client } from '@modelcontextprotocol/client';
import { VERSION } from '../version.js';
import { type FrameProblem, UpstreamProcessTransport } from './transports.js';

export type UpstreamEra = 'auto' | 'legacy';

export interface UpstreamOptions {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  era?: UpstreamEra;
  maxMessageBytes?: number;
  /** Timeout of the connect handshake (and the era probe), ms. */
  connectTimeoutMs?: number;
  /** Whether the proxy may pass sampling requests on (it then advertises the capability). */
  sampling: boolean;
  /** Whether the proxy may pass elicitation requests on. */
  elicitation: boolean;
  onProblem?: (problem: FrameProblem, description: string) => void;
  /** Called when the upstream's tools, prompts or resources list changed. */
  onListChanged: (kind: 'tools' | 'prompts' | 'resources') => void;
}

export interface Upstream {
  client: Client;
  transport: UpstreamProcessTransport;
  /** The server's declared name (its lockfile key unless the proxy is told another). */
  name: string;
  version: string | undefined;
  instructions: string | undefined;
  capabilities: NonNullable<ReturnType<Client['getServerCapabilities']>>;
}

export async function connectUpstream(options: UpstreamOptions): Promise<Upstream> {
  const transport = new UpstreamProcessTransport({
    command: options.command,
    args: options.args,
    ...(options.env ? { env: options.env } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
    ...(options.onProblem ? { onProblem: options.onProblem } : {}),
  });
  const timeout = options.connectTimeoutMs ?? 30_000;
  const changed = (kind: 'tools' | 'prompts' | 'resources') => ({
    autoRefresh: false,
    debounceMs: 0,
    onChanged: () => options.onListChanged(kind),
  });
  const client = new Client(
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
  await client.connect(transport, { timeout });
  const info = client.getServerVersion();
  return {
    client,
    transport,
    name: typeof info?.name === 'string' && info.name.length > 0 ? info.name : options.command,
    version: typeof info?.version === 'string' ? info.version : undefined,
    instructions: client.getInstructions(),
    capabilities: client.getServerCapabilities() ?? {},
  };
}
