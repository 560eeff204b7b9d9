// Live inspection starts server code on this machine. Before that happens the user says yes: on a
// terminal by answering, elsewhere (CI, pipes) only by passing --yes. Connecting to a URL runs
// nothing locally and needs no consent.

import { createInterface } from 'node:readline/promises';
import { PortcullisError } from '../../core/errors.js';
import { redactLaunch } from '../configs/redact.js';
import { describeTarget, type InspectTarget } from './target.js';

export interface ConsentIO {
  /** Whether there is a person to ask (stdin and stderr are terminals). */
  interactive: boolean;
  /** Shows `prompt` and resolves with the answer. */
  ask(prompt: string): Promise<string>;
}

export type ConsentOutcome = 'not-needed' | 'approved-by-flag' | 'approved' | 'declined';

/**
 * The question: what will run, how it is confined, and the default (no). `sandbox` describes the
 * sandbox the servers start in; without it they run unsandboxed and the question says so.
 */
export function consentPrompt(targets: readonly InspectTarget[], sandbox?: string): string {
  const local = targets.filter((t) => t.kind === 'stdio');
  const lines = [
    `Live inspection will start ${local.length === 1 ? 'this server' : `these ${local.length} servers`} on this machine:`,
    // Secrets in arguments are masked here too: prompts end up in screen shares and recordings.
    ...local.map((t) => `  ${t.name ? `${t.name}: ` : ''}${describeTarget(redactLaunch(t))}`),
    sandbox
      ? `They run in the ${sandbox} until their tools are listed (then they are stopped).`
      : 'They run unsandboxed, with your user rights, until their tools are listed (then they are stopped).',
    'Start them? [y/N] ',
  ];
  return lines.join('\n');
}

/**
 * Asks before any stdio server starts. Throws a USAGE error (exit 2) when there is nobody to ask
 * and `--yes` was not given. `declined` means the user said no: nothing may be started.
 */
export async function confirmLaunch(
  targets: readonly InspectTarget[],
  options: { yes: boolean; io: ConsentIO; sandbox?: string },
): Promise<ConsentOutcome> {
  if (!targets.some((t) => t.kind === 'stdio')) return 'not-needed';
  if (options.yes) return 'approved-by-flag';
  if (!options.io.interactive) {
    throw new PortcullisError(
      'USAGE',
      'live inspection starts MCP server code on this machine and there is no terminal to ask; pass --yes to allow it',
      { field: 'connect' },
    );
  }
  const answer = (await options.io.ask(consentPrompt(targets, options.sandbox))).trim().toLowerCase();
  return answer === 'y' || answer === 'yes' ? 'approved' : 'declined';
}

/** Terminal I/O for confirmLaunch: asks on stderr so stdout stays clean for reports. */
export function terminalConsentIO(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): ConsentIO {
  return {
    interactive: Boolean(input.isTTY && output.isTTY),
    async ask(prompt) {
      const rl = createInterface({ input, output });
      try {
        return await rl.question(prompt);
      } finally {
        rl.close();
      }
    },
  };
}
