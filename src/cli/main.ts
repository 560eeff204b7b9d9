// The `portcullis` program: wiring only. Each command lives in its own file under commands/.
import { Command, CommanderError } from '@commander-js/extra-typings';
import { PortcullisError } from '../core/errors.js';
import { VERSION } from '../version.js';
import { registerCommands } from './commands/index.js';

/** Runs the CLI and resolves to the exit code (0 ok, 1 findings/failed check, 2 usage or input error). */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('portcullis')
    .description('A local, zero-trust security layer for AI agents.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)');
  let exitCode = 0;
  try {
    await registerCommands(
      program,
      (code) => {
        exitCode = Math.max(exitCode, code);
      },
      argv,
    );
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof PortcullisError) {
      process.stderr.write(`portcullis: ${err.format()}\n`);
      return err.code === 'INTERNAL' ? 3 : 2;
    }
    process.stderr.write(
      `portcullis: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 3;
  }
}
