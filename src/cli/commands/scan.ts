// `portcullis scan PATH...` — wiring only; the work is in src/scan.
import { writeFileSync } from 'node:fs';
import { type Command, Option } from '@commander-js/extra-typings';
import { atLeast, SEVERITIES, type Severity } from '../../core/types.js';
import { renderSarif } from '../../report/sarif.js';
import { renderScanText } from '../../report/scan-text.js';
import { makeStyle, useColor } from '../../report/style.js';
import { baselineKey, readBaseline, writeBaseline } from '../../scan/baseline.js';
import { RULES } from '../../scan/rules/index.js';
import { scanPaths } from '../../scan/scan.js';
import type { SetExit } from './index.js';
import { progressReporter } from './progress.js';

export function registerScan(program: Command, setExit: SetExit): void {
  program
    .command('scan')
    .description('Compare what agent tools do (code) with what they claim (descriptions); find poisoned tools.')
    .argument('<paths...>', 'source trees, source files or MCP tools/list JSON manifests')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices([...SEVERITIES, 'none'])
        .default('high'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--baseline <file>', 'findings listed in this baseline are reported but do not fail the scan')
    .option('--write-baseline <file>', 'write the current findings as a baseline and exit 0')
    .option('--rules <ids>', 'comma-separated rule ids to run (default: all)')
    .option('--exclude <dir...>', 'more directory names to skip')
    .option('--no-default-excludes', 'also scan node_modules, virtualenvs and VCS folders')
    .option('--max-file-size <bytes>', 'skip files larger than this', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`--max-file-size must be a positive integer, got ${v}`);
      return n;
    })
    .option('-v, --verbose', 'list every tool with its effects, and every skipped file')
    .option('--no-progress', 'no progress on stderr')
    .action(async (paths, opts) => {
      const ruleIds = opts.rules?.split(',').map((r) => r.trim()).filter(Boolean);
      const unknown = ruleIds?.filter((id) => !RULES.some((r) => r.id === id));
      if (unknown?.length) {
        process.stderr.write(`portcullis: unknown rule ${unknown.join(', ')} (known: ${RULES.map((r) => r.id).join(', ')})\n`);
        setExit(2);
        return;
      }
      const progress = opts.progress ? progressReporter(process.stderr, 'scanning') : undefined;
      const result = await scanPaths(paths, {
        exclude: opts.exclude,
        noDefaultExcludes: !opts.defaultExcludes,
        maxFileBytes: opts.maxFileSize,
        rules: ruleIds,
        baseline: opts.baseline ? readBaseline(opts.baseline) : undefined,
        onProgress: progress?.update,
      }).finally(() => progress?.done());

      if (opts.writeBaseline) {
        writeBaseline(opts.writeBaseline, [...result.findings, ...result.baselined]);
        process.stderr.write(
          `portcullis: wrote ${result.findings.length + result.baselined.length} findings to ${opts.writeBaseline}\n`,
        );
        return;
      }

      let text: string;
      if (opts.format === 'json') text = `${JSON.stringify(result, null, 2)}\n`;
      else if (opts.format === 'sarif')
        text = renderSarif(
          { findings: result.findings, suppressed: result.suppressed, keyOf: baselineKey },
          RULES.map((r) => ({ id: r.id, severity: r.meta.severity, description: r.meta.description, docs: r.meta.docs })),
        );
      else {
        const color = !opts.output && useColor(process.stdout);
        text = renderScanText(result, makeStyle(color), { verbose: opts.verbose });
      }
      if (opts.output) writeFileSync(opts.output, text);
      else process.stdout.write(text);

      const failOn = opts.failOn as Severity | 'none';
      if (failOn !== 'none' && result.findings.some((f) => atLeast(f.severity, failOn))) setExit(1);
    });
}
