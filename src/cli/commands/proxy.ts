// `portcullis proxy [options] -- COMMAND ARGS...` — wiring only; the proxy is in src/proxy.
import { type Command, Option } from '@commander-js/extra-typings';
import { PortcullisError } from '../../core/errors.js';
import { loadPolicy } from '../../guard/index.js';
import { APPROVAL_MODES } from '../../proxy/approval/index.js';
import { startStdioProxy } from '../../proxy/stdio.js';
import type { SetExit } from './index.js';
import { type HttpCliOptions, runHttpProxy } from './proxy-http.js';
import { injectedEnvNames, sandboxedServer } from './proxy-sandbox.js';
import { proxySetup, refuseTwoUpstreams, untilClosed, upstreamUrl } from './proxy-setup.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerProxy(program: Command, setExit: SetExit): void {
  program
    .command('proxy')
    .description(
      'Run an MCP server (stdio, or Streamable HTTP with --listen) behind the guard: every call decided, every result inspected, every decision logged.',
    )
    .argument('[command...]', 'the MCP server to start, after `--` (or --upstream URL)')
    .option('--policy <file>', 'policy file (default: the built-in policy)')
    .option('--audit <file>', 'audit log (default: $XDG_STATE_HOME/portcullis/audit/<server>-<date>.jsonl)')
    .option('--audit-key <file>', 'Ed25519 private key for signed audit checkpoints')
    .addOption(
      new Option(
        '--audit-sync <when>',
        'fdatasync each record before the call goes on (each), or within 100 ms of writing it (write)',
      )
        .choices(['write', 'each'])
        .default('write'),
    )
    .option('--lock <file>', "lockfile of pinned tool definitions (default: the policy's pinned.lock)")
    .option(
      '--name <name>',
      'server name for policy rules, pins and the log (default: the name the server declares)',
    )
    .option('--timeout <duration>', 'per-request timeout towards the server', '60s')
    .option('--max-message <bytes>', 'largest JSON-RPC message accepted, in bytes', String(16 * 1024 * 1024))
    .option('--allow-sampling', 'pass sampling requests from the server to the client (default: refuse)')
    .option(
      '--no-elicitation',
      'refuse elicitation requests from the server (default: pass them to the client)',
    )
    .option('--hide-blocked', 'hide blocked tools from tools/list instead of marking them')
    .option('--listen <host:port>', 'serve clients over Streamable HTTP on this address (default: stdio)')
    .option('--upstream <url>', 'guard a remote Streamable HTTP server instead of a command')
    .option(
      '--allow-origin <origin>',
      'with --listen: also accept this browser Origin (repeatable)',
      collect,
      [],
    )
    .option('--allow-host <name>', 'with --listen: also answer this Host name (repeatable)', collect, [])
    .option('--session-idle <duration>', 'with --listen: close a client session unused this long', '30m')
    .addOption(
      new Option('--upstream-era <era>', 'protocol era towards the server')
        .choices(['auto', 'legacy'])
        .default('auto'),
    )
    .addOption(
      new Option(
        '--approval <mode>',
        'how require-approval calls are asked: auto (in-protocol, else terminal, else web page), one of them, or none (deny)',
      )
        .choices(APPROVAL_MODES)
        .default('auto'),
    )
    .option('--approval-timeout <duration>', 'no answer within this time denies the call', '120s')
    .option('--approval-ttl <duration>', 'how long a granted approval stands', '10m')
    .addOption(
      new Option('--sandbox <backend>', 'start the server in the sandbox').choices(['bwrap', 'gvisor']),
    )
    .option('--net <policy>', "with --sandbox: 'none' (default) or HOST[:PORT],... egress allowlist")
    .option('--sandbox-ro <path>', 'with --sandbox: bind a host path read-only (repeatable)', collect, [])
    .option('--sandbox-rw <path>', 'with --sandbox: bind a host path read-write (repeatable)', collect, [])
    .option('--sandbox-env <name>', 'with --sandbox: pass this variable in (repeatable)', collect, [])
    .action(async (rawArgv, opts) => {
      // With --sandbox the server's command line becomes the sandbox's (refused here if unavailable).
      // Secrets the policy injects into the server's environment must cross into the sandbox.
      const injected =
        opts.sandbox !== undefined && opts.policy !== undefined
          ? injectedEnvNames(loadPolicy(opts.policy))
          : [];
      const argv = sandboxedServer(rawArgv, { ...opts, sandboxEnv: [...opts.sandboxEnv, ...injected] });
      const [command, ...args] = argv;
      if (opts.listen !== undefined) return runHttpProxy(argv, opts as HttpCliOptions, setExit);
      // A stdio client in front of a remote Streamable HTTP server (how `wrap` guards `url` servers).
      const remote = opts.upstream !== undefined ? upstreamUrl(opts.upstream) : undefined;
      refuseTwoUpstreams(opts, command);
      if (!command && !remote)
        throw new PortcullisError(
          'USAGE',
          'no server command given (use: portcullis proxy -- COMMAND ARGS..., or --upstream URL)',
        );
      const { log, approvals, credentials, headers, common } = proxySetup(opts, remote !== undefined);

      const proxy = await startStdioProxy({
        ...common,
        command: command ?? '',
        args,
        ...(remote ? { upstreamUrl: remote } : {}),
        ...(remote && Object.keys(headers).length > 0 ? { upstreamHeaders: headers } : {}),
        ...(credentials ? { env: credentials.upstreamEnv(process.env) } : {}),
      }).catch((e: unknown) => {
        if (e instanceof PortcullisError) throw e;
        throw new PortcullisError('INPUT_INVALID', `could not start the server: ${(e as Error).message}`, {
          field: 'command',
        });
      });
      log.info(
        `guarding ${proxy.server} (${remote ? remote.href : [command, ...args].join(' ')}); audit log ${proxy.audit.file}`,
      );
      const code = await untilClosed(proxy, approvals);
      process.stdin.destroy();
      setExit(code);
    });
}
