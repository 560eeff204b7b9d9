// `portcullis sign FILE` — wiring only; the work is in src/pin.
import type { Command } from '@commander-js/extra-typings';
import { PRIVATE_KEY_NAME, signFile } from '../../pin/index.js';
import type { SetExit } from './index.js';

export function registerSign(program: Command, _setExit: SetExit): void {
  program
    .command('sign')
    .description('Sign a file (usually portcullis.lock) with an Ed25519 private key, writing FILE.sig.')
    .argument('<file>', 'file to sign')
    .option('--key <file>', 'private key', PRIVATE_KEY_NAME)
    .action((file, opts) => {
      const result = signFile(file, opts.key);
      process.stdout.write(`wrote ${result.signatureFile} (key id ${result.keyId})\n`);
    });
}
