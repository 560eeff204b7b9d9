// `portcullis doctor` — what isolation this machine can guarantee; wiring only (src/sandbox/probe.ts).
import type { Command } from '@commander-js/extra-typings';
import { probeSandbox } from '../../sandbox/index.js';
import type { SetExit } from './index.js';

export function registerDoctor(program: Command, setExit: SetExit): void {
  program
    .command('doctor')
    .description(
      'Check what the sandbox can guarantee here (user namespaces, bwrap, runsc, cgroups, seccomp).',
    )
    .option('--format <format>', 'text or json', 'text')
    .action((opts) => {
      const report = probeSandbox();
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const lines = report.probes.map(
          (p) =>
            `${p.ok ? 'ok  ' : 'MISS'}  ${p.name}: ${p.detail}${!p.ok && p.remedy ? `\n        install/fix: ${p.remedy}` : ''}`,
        );
        lines.push('');
        lines.push(
          `portcullis run --backend bwrap: ${report.bwrapReady ? 'ready' : 'NOT available (runs will be refused)'}`,
        );
        lines.push(
          `portcullis run --backend gvisor: ${report.gvisorReady ? 'ready' : 'NOT available (runs will be refused)'}`,
        );
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      // 1 when the default backend cannot run, so scripts can gate on it.
      if (!report.bwrapReady) setExit(1);
    });
}
