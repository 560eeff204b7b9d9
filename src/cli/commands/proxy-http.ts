// `portcullis proxy --listen HOST:PORT (--upstream URL | -- COMMAND ARGS...)` — wiring only; the
// HTTP face is in src/proxy/http.ts. Same configuration checks, errors and exit codes as stdio.
import { PortcullisError } from '../../core/errors.js';
import { startHttpProxy } from '../../proxy/http.js';
import { parseListen } from '../../proxy/http-guard.js';
import type { SetExit } from './index.js';
import {
  duration,
  type ProxySetupFlags,
  proxySetup,
  refuseTwoUpstreams,
  untilClosed,
  upstreamUrl,
} from './proxy-setup.js';

export interface HttpCliOptions extends ProxySetupFlags {
  listen?: string;
  allowOrigin: string[];
  allowHost: string[];
  sessionIdle: string;
}

export async function runHttpProxy(argv: string[], opts: HttpCliOptions, setExit: SetExit): Promise<void> {
  const [command, ...args] = argv;
  if (opts.listen === undefined)
    throw new PortcullisError('USAGE', '--upstream needs --listen HOST:PORT (the HTTP face of the proxy)', {
      field: '--upstream',
    });
  refuseTwoUpstreams(opts, command);
  if (opts.upstream === undefined && !command)
    throw new PortcullisError(
      'USAGE',
      'nothing to guard (use: portcullis proxy --listen HOST:PORT --upstream URL, or ... -- COMMAND ARGS...)',
    );
  const listen = parseListen(opts.listen);
  const url = opts.upstream !== undefined ? upstreamUrl(opts.upstream) : undefined;
  const sessionIdleMs = duration(opts.sessionIdle, '--session-idle');
  const { log, approvals, credentials, headers, common } = proxySetup(opts, url !== undefined);

  const proxy = await startHttpProxy({
    ...common,
    listen,
    upstream: url
      ? { url, ...(Object.keys(headers).length > 0 ? { headers } : {}) }
      : {
          command: command as string,
          args,
          ...(credentials ? { env: credentials.upstreamEnv(process.env) } : {}),
        },
    allowOrigins: opts.allowOrigin,
    allowHosts: opts.allowHost,
    sessionIdleMs,
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
  setExit(await untilClosed(proxy, approvals));
}
