// `portcullis pin SOURCE...` — wiring only; the work is in src/pin.
import type { Command } from '@commander-js/extra-typings';
import { LOCKFILE_NAME, loadSnapshots, pinSnapshots, type ServerDiff } from '../../pin/index.js';
import { manifestToolSource } from '../../scan/manifest/load.js';
import type { SetExit } from './index.js';

/** What re-pinning accepted, so a rug pull is not re-pinned without anyone noticing. */
function sinceText(diff: ServerDiff): string {
  if (diff.status === 'new') return '';
  if (diff.status === 'unchanged') return ': unchanged';
  const parts = [
    diff.added.length && `${diff.added.length} added`,
    diff.removed.length && `${diff.removed.length} removed`,
    diff.changed.length && `${diff.changed.length} changed (${diff.changed.map((c) => c.name).join(', ')})`,
    diff.instructions && `instructions ${diff.instructions.kind}`,
  ].filter(Boolean);
  return `: accepted ${parts.join(', ')} since the previous pin`;
}

export function registerPin(program: Command, _setExit: SetExit): void {
  program
    .command('pin')
    .description('Record the fingerprint and definition of every tool the sources list in a lockfile.')
    .argument('<sources...>', 'MCP tools/list JSON manifests')
    .option('--lock <file>', 'lockfile to write', LOCKFILE_NAME)
    .option('--prune', 'drop pinned servers that none of the sources name')
    .action(async (sources, opts) => {
      const snapshots = await loadSnapshots(sources.map((s) => manifestToolSource(s)));
      const result = pinSnapshots(opts.lock, snapshots, { prune: opts.prune });
      for (const p of result.pinned) {
        process.stdout.write(
          `pinned ${p.tools} tool(s) of server ${JSON.stringify(p.serverKey)} (${p.origin})${sinceText(p.sincePrevious)}\n`,
        );
      }
      if (result.kept.length)
        process.stdout.write(
          `kept ${result.kept.length} other pinned server(s): ${result.kept.join(', ')}\n`,
        );
      if (result.pruned.length) process.stdout.write(`pruned: ${result.pruned.join(', ')}\n`);
      process.stdout.write(`wrote ${opts.lock}\n`);
      if (result.staleSignature) {
        process.stderr.write(
          `portcullis: ${result.staleSignature} no longer matches the rewritten lockfile; sign it again: portcullis sign ${opts.lock}\n`,
        );
      }
    });
}
