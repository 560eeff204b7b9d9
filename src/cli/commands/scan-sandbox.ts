// `scan --connect`: stdio servers start in the sandbox unless --no-sandbox. Wiring only: the
// inspector's `sandbox` hook gets the sandbox's command line (src/sandbox/command.ts).

import { PortcullisError } from '../../core/errors.js';
import { argumentBinds, SandboxUnavailableError, sandboxCommandLine } from '../../sandbox/index.js';
import type { CollectOptions } from '../../scan/live/collect.js';

export interface ScanSandboxFlags {
  /** The backend, or false for --no-sandbox. */
  sandbox: string | boolean;
  sandboxRo: string[];
}

/** The inspector's sandbox hook and its description for the consent question; {} with --no-sandbox. */
export function liveSandbox(flags: ScanSandboxFlags): Pick<CollectOptions, 'inspect' | 'sandboxDescription'> {
  if (flags.sandbox === false) return {};
  const backend = flags.sandbox === 'gvisor' ? 'gvisor' : 'bwrap';
  return {
    sandboxDescription: `${backend} sandbox (no network; read-only: the runtime, the files named in the command line${flags.sandboxRo.length ? `, ${flags.sandboxRo.join(', ')}` : ''})`,
    inspect: {
      sandbox: (argv) => {
        try {
          return sandboxCommandLine(argv, {
            backend,
            // The server's own files (its project, named files) read-only, so `node /srv/x/index.js` works.
            ro: [...flags.sandboxRo, ...argumentBinds(argv)],
            // The inspector already reduced the environment to the safe defaults plus the entry's own.
            passEnv: 'given',
            timeoutMs: 120_000,
          });
        } catch (err) {
          if (err instanceof PortcullisError && err.code === 'INPUT_NOT_FOUND')
            throw new PortcullisError(
              'INPUT_INVALID',
              `could not start or connect to the server: ${err.message}`,
              {
                field: '--connect',
              },
            );
          const why =
            err instanceof SandboxUnavailableError
              ? `${err.message}${err.remedy ? ` (to fix: ${err.remedy})` : ''}`
              : err instanceof PortcullisError
                ? err.message
                : String(err);
          throw new PortcullisError(
            'USAGE',
            `the ${backend} sandbox cannot start ${argv[0]}: ${why}; pass --no-sandbox to run it unsandboxed`,
            { field: '--connect' },
          );
        }
      },
    },
  };
}
