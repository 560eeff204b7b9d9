// `portcullis keygen` — wiring only; the work is in src/pin.
import type { Command } from '@commander-js/extra-typings';
import { generateKeys } from '../../pin/index.js';
import type { SetExit } from './index.js';

export function registerKeygen(program: Command, _setExit: SetExit): void {
  program
    .command('keygen')
    .description(
      'Create an Ed25519 key pair for signing lockfiles: portcullis.key (private) and portcullis.pub.',
    )
    .option('--out <dir>', 'directory to write the keys into', '.')
    .option('--force', 'replace existing key files')
    .action((opts) => {
      const keys = generateKeys(opts.out, { force: opts.force });
      process.stdout.write(
        `wrote ${keys.privateKeyFile} (private, mode 600: keep it secret) and ${keys.publicKeyFile}\nkey id ${keys.keyId}\n`,
      );
    });
}
