// `portcullis proxy --listen HOST:PORT (--upstream URL | -- COMMAND ARGS...)` — wiring only; the
// HTTP face is in src/proxy/http.ts. Same configuration checks, errors and exit codes as stdio.
import { PortcullisError } from '../../core/errors.js';
import { startHttpProxy } from '../../proxy/http.js';
import { parseListen } from '../../proxy/http-guard.js';
import { UpstreamProcessTransport } from '../../proxy/transports.js';
import type { SetExit } from './index.js';
import { duration, proxySetup } from './proxy-setup.js';

export interface HttpCliOptions {
  listen?: string;
  upstream?: string;
  allowOrigin: string[];
  allowHost: string[];
  sessionIdle: string;
  policy?: string;
  audit?: string;
  auditKey?: string;
  auditSync?: string;
  lock?: string;
  name?: string;
  timeout: string;
  maxMessage: string;
  allowSampling?: boolean;
  elicitation: boolean;
  hideBlocked?: boolean;
  upstreamEra: string;
  approval: string;
  approvalTimeout: string;
  approvalTtl: string;
}

export function upstreamUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PortcullisError('USAGE', `--upstream expects an http(s) URL, not "${text}"`, {
      field: '--upstream',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PortcullisError('USAGE', `--upstream expects an http(s) URL, not ${url.protocol}`, {
      field: '--upstream',
    });
  return url;
}

export async function runHttpProxy(argv: string[], opts: HttpCliOptions, setExit: SetExit): Promise<void> {
  const [command, ...args] = argv;
  if (opts.listen === undefined)
    throw new PortcullisError('USAGE', '--upstream needs --listen HOST:PORT (the HTTP face of the proxy)', {
      field: '--upstream',
    });
  if (opts.upstream !== undefined && command)
    throw new PortcullisError(
      'USAGE',
      'give either --upstream URL or a server command after `--`, not both',
      {
        field: '--upstream',
      },
    );
  if (opts.upstream === undefined && !command)
    throw new PortcullisError(
      'USAGE',
      'nothing to guard (use: portcullis proxy --listen HOST:PORT --upstream URL, or ... -- COMMAND ARGS...)',
    );
  const listen = parseListen(opts.listen);
  const url = opts.upstream !== undefined ? upstreamUrl(opts.upstream) : undefined;
  const maxMessageBytes = Number(opts.maxMessage);
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1024)
    throw new PortcullisError('USAGE', '--max-message expects a number of bytes ≥ 1024', {
      field: '--max-message',
    });
  const callTimeoutMs = duration(opts.timeout, '--timeout');
  const sessionIdleMs = duration(opts.sessionIdle, '--session-idle');
  // Invalid configuration fails here, before anything starts (exit 2 with file:line).
  const { log, guard, lock, approvals, credentials, headers, openAudit } = proxySetup(
    opts,
    url !== undefined,
  );

  const proxy = await startHttpProxy({
    listen,
    upstream: url
      ? { url, ...(Object.keys(headers).length > 0 ? { headers } : {}) }
      : {
          command: command as string,
          args,
          ...(credentials ? { env: credentials.upstreamEnv(process.env) } : {}),
        },
    guard,
    ...(credentials ? { credentials } : {}),
    ...(lock ? { lock } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    openAudit,
    allowOrigins: opts.allowOrigin,
    allowHosts: opts.allowHost,
    callTimeoutMs,
    maxMessageBytes,
    sessionIdleMs,
    sampling: opts.allowSampling === true,
    elicitation: opts.elicitation,
    blockedTools: opts.hideBlocked ? 'hide' : 'mark',
    upstreamEra: opts.upstreamEra as 'auto' | 'legacy',
    log,
    ...(approvals.channel ? { approvals: approvals.channel } : {}),
  }).catch(async (e: unknown) => {
    await approvals.close();
    if (e instanceof PortcullisError) throw e;
    throw new PortcullisError('INPUT_INVALID', `could not start the proxy: ${(e as Error).message}`, {
      field: url ? '--upstream' : 'command',
    });
  });
  log.info(
    `guarding ${proxy.server} (${url ? url.href : [command, ...args].join(' ')}) on ${proxy.url}; audit log ${proxy.audit.file}`,
  );
  const transport = proxy.upstream.transport;
  const killOnExit = () => {
    if (transport instanceof UpstreamProcessTransport) transport.killTree('SIGKILL');
  };
  process.once('exit', killOnExit);
  const onSignal = (signal: NodeJS.Signals) => void proxy.close(`received ${signal}`);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const exit = await proxy.closed;
  await approvals.close();
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  setExit(exit.code);
}
