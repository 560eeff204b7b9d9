// `portcullis proxy --sandbox bwrap|gvisor [--net ...] -- COMMAND`: the server's command line is
// replaced by the sandbox's (src/sandbox/command.ts), so the proxy's stdio transport, process-group
// handling and HTTP face work unchanged around it. Wiring only.

import { PortcullisError } from '../../core/errors.js';
import type { CompiledPolicy } from '../../guard/index.js';
import {
  parseNet,
  SandboxUnavailableError,
  SERVER_TIMEOUT_MS,
  sandboxCommandLine,
} from '../../sandbox/index.js';

/** Variables the policy's credentials inject into the server's environment: the sandbox must pass them in. */
export function injectedEnvNames(policy: CompiledPolicy | undefined): string[] {
  const names = new Set<string>();
  for (const rule of policy?.rules ?? [])
    for (const c of rule.credentials) if ('env' in c.inject) names.add(c.inject.env);
  return [...names];
}

export interface ProxySandboxFlags {
  sandbox?: string;
  net?: string;
  sandboxRo: string[];
  sandboxRw: string[];
  sandboxEnv: string[];
}

/** argv unchanged without --sandbox; else the sandbox's command line for it, or a refusal (exit 2). */
export function sandboxedServer(argv: string[], flags: ProxySandboxFlags): string[] {
  if (flags.sandbox === undefined) {
    const stray = flags.net ?? flags.sandboxRo[0] ?? flags.sandboxRw[0] ?? flags.sandboxEnv[0];
    if (stray !== undefined)
      throw new PortcullisError('USAGE', '--net and --sandbox-* need --sandbox bwrap|gvisor', {
        field: '--sandbox',
      });
    return argv;
  }
  if (argv.length === 0)
    throw new PortcullisError(
      'USAGE',
      '--sandbox needs a server command (portcullis proxy --sandbox bwrap -- COMMAND)',
      {
        field: '--sandbox',
      },
    );
  try {
    return sandboxCommandLine(argv, {
      backend: flags.sandbox as 'bwrap' | 'gvisor',
      net: parseNet(flags.net ?? 'none'),
      ro: flags.sandboxRo,
      rw: flags.sandboxRw,
      env: flags.sandboxEnv,
      timeoutMs: SERVER_TIMEOUT_MS,
    });
  } catch (err) {
    if (err instanceof SandboxUnavailableError)
      throw new PortcullisError(
        'USAGE',
        `--sandbox ${flags.sandbox} refused: ${err.message}${err.remedy ? ` (to fix: ${err.remedy})` : ''}`,
        { field: '--sandbox' },
      );
    throw err;
  }
}
