// `portcullis verify SOURCE...` — wiring only; the work is in src/pin.
import { type Command, Option } from '@commander-js/extra-typings';
import {
  LOCKFILE_NAME,
  loadPublicKey,
  loadSnapshots,
  renderVerifyText,
  verifySnapshots,
} from '../../pin/index.js';
import { manifestToolSource } from '../../scan/manifest/load.js';
import type { SetExit } from './index.js';

export function registerVerify(program: Command, setExit: SetExit): void {
  program
    .command('verify')
    .description('Check that the tools the sources list match the lockfile (and, with --pub, its signature).')
    .argument('<sources...>', 'MCP tools/list JSON manifests')
    .option('--lock <file>', 'lockfile to compare with', LOCKFILE_NAME)
    .option(
      '--pub <key>',
      'trusted public key; the lockfile must carry a valid signature by it (repeat for several keys)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (sources, opts) => {
      const trusted = opts.pub.map((file) => loadPublicKey(file));
      const snapshots = await loadSnapshots(sources.map((s) => manifestToolSource(s)));
      const report = verifySnapshots(opts.lock, snapshots, trusted);
      process.stdout.write(
        opts.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderVerifyText(report),
      );
      if (!report.ok) setExit(1);
    });
}
