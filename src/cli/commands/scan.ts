// `portcullis scan PATH...` — wiring only; the work is in src/scan.
import { writeFileSync } from 'node:fs';
import { type Command, Option } from '@commander-js/extra-typings';
import { atLeast, SEVERITIES, type Severity } from '../../core/types.js';
import { renderSarif } from '../../report/sarif.js';
import { renderScanText } from '../../report/scan-text.js';
import { makeStyle, useColor } from '../../report/style.js';
import { baselineKey, readBaseline, writeBaseline } from '../../scan/baseline.js';
// --configs / --connect / --yes (client configs and live servers): see src/scan/live/collect.ts.
import { isClientConfigFile } from '../../scan/configs/index.js';
import { CONFIG_RULES } from '../../scan/configs/rules/index.js';
import {
  collectConfigsAndLive,
  describeSources,
  emptyScanResult,
  mergeIntoScanResult,
  sourcesForReport,
  terminalConsentIO,
} from '../../scan/live/index.js';
import { RULES } from '../../scan/rules/index.js';
import { scanPaths } from '../../scan/scan.js';
import type { SetExit } from './index.js';
import { progressReporter } from './progress.js';
import { liveSandbox } from './scan-sandbox.js';

export function registerScan(program: Command, setExit: SetExit): void {
  program
    .command('scan')
    .description(
      'Compare what agent tools do (code) with what they claim (descriptions); find poisoned tools.',
    )
    .argument(
      '[paths...]',
      'source trees, source files, MCP tools/list JSON manifests or client config files',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
    )
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
      if (!Number.isInteger(n) || n <= 0)
        throw new Error(`--max-file-size must be a positive integer, got ${v}`);
      return n;
    })
    .option(
      '--configs',
      'also find and check the MCP client configs on this machine (Claude, Cursor, VS Code, …)',
    )
    .option(
      '--connect [targets...]',
      'inspect live servers: URLs or quoted command lines; alone, with --configs, every configured server',
    )
    .option('--yes', 'start servers for --connect without asking')
    .addOption(
      new Option('--sandbox <backend>', '--connect starts stdio servers in this sandbox')
        .choices(['bwrap', 'gvisor'])
        .default('bwrap'),
    )
    .option('--no-sandbox', '--connect starts stdio servers unsandboxed, with your user rights')
    .option(
      '--sandbox-ro <path>',
      'bind a host path read-only into the --connect sandbox (repeatable)',
      (v: string, p: string[]) => [...p, v],
      [] as string[],
    )
    .option(
      '--llm <model>',
      "a local model's second opinion on tools with findings: ollama:MODEL, openai:URL#MODEL or a URL",
    )
    .option('--no-llm-cache', 'ask the model again even when its answer is cached')
    .option('-v, --verbose', 'list every tool with its effects, and every skipped file')
    .option('--no-progress', 'no progress on stderr')
    .action(async (paths, opts) => {
      const ruleIds = opts.rules
        ?.split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      const knownRules = [...RULES, ...CONFIG_RULES];
      const unknown = ruleIds?.filter((id) => !knownRules.some((r) => r.id === id));
      if (unknown?.length) {
        process.stderr.write(
          `portcullis: unknown rule ${unknown.join(', ')} (known: ${knownRules.map((r) => r.id).join(', ')})\n`,
        );
        setExit(2);
        return;
      }
      // --llm: connect before scanning, so a missing server or model fails fast (src/scan/second-opinion.ts).
      const secondOpinion = opts.llm ? await import('../../scan/second-opinion.js') : undefined;
      const llm = opts.llm && secondOpinion ? await secondOpinion.connectSecondOpinion(opts.llm) : undefined;
      const connect = opts.connect === true ? true : opts.connect?.length ? opts.connect : undefined;
      const configFiles = paths.filter((p) => isClientConfigFile(p));
      const sourcePaths = paths.filter((p) => !configFiles.includes(p));
      if (paths.length === 0 && !opts.configs && !connect) {
        process.stderr.write('portcullis: nothing to scan: give a path, --configs or --connect TARGET\n');
        setExit(2);
        return;
      }
      const sources =
        opts.configs || connect || configFiles.length
          ? await collectConfigsAndLive({
              configs: opts.configs === true,
              configFiles,
              ...(connect ? { connect } : {}),
              yes: opts.yes === true,
              consent: terminalConsentIO(),
              ...liveSandbox(opts),
              ...(ruleIds ? { rules: ruleIds } : {}),
              onInspect: (name) => opts.progress && process.stderr.write(`portcullis: inspecting ${name}\n`),
            })
          : undefined;
      if (sources?.consent === 'declined') {
        process.stderr.write('portcullis: live inspection declined; nothing was started\n');
        setExit(2);
        return;
      }
      const failedTarget = sources?.live.find((e) => e.explicit && e.error);
      if (failedTarget) {
        process.stderr.write(`portcullis: ${failedTarget.error}\n`);
        setExit(2);
        return;
      }
      const pathRuleIds = ruleIds?.filter((id) => RULES.some((r) => r.id === id));
      const baseline = opts.baseline ? readBaseline(opts.baseline) : undefined;
      const progress = opts.progress ? progressReporter(process.stderr, 'scanning') : undefined;
      const result =
        sourcePaths.length === 0
          ? emptyScanResult()
          : await scanPaths(sourcePaths, {
              exclude: opts.exclude,
              noDefaultExcludes: !opts.defaultExcludes,
              maxFileBytes: opts.maxFileSize,
              rules: ruleIds ? pathRuleIds : undefined,
              baseline,
              onProgress: progress?.update,
            }).finally(() => progress?.done());
      if (sources) mergeIntoScanResult(result, sources, baseline);
      if (llm && secondOpinion) {
        const asking = opts.progress ? progressReporter(process.stderr, 'asking the model about') : undefined;
        await secondOpinion
          .addSecondOpinions(result, llm, {
            ...(opts.llmCache ? {} : { cacheDir: false as const }),
            ...(baseline ? { baseline } : {}),
            ...(asking ? { onProgress: asking.update } : {}),
          })
          .finally(() => asking?.done());
      }

      if (opts.writeBaseline) {
        writeBaseline(opts.writeBaseline, [...result.findings, ...result.baselined]);
        process.stderr.write(
          `portcullis: wrote ${result.findings.length + result.baselined.length} findings to ${opts.writeBaseline}\n`,
        );
        return;
      }

      let text: string;
      if (opts.format === 'json')
        text = `${JSON.stringify(sources ? { ...result, ...sourcesForReport(sources) } : result, null, 2)}\n`;
      else if (opts.format === 'sarif')
        text = renderSarif(
          { findings: result.findings, suppressed: result.suppressed, keyOf: baselineKey },
          [...knownRules, ...(secondOpinion ? [secondOpinion.SECOND_OPINION_RULE] : [])].map((r) => ({
            id: r.id,
            severity: r.meta.severity,
            description: r.meta.description,
            docs: r.meta.docs,
          })),
        );
      else {
        const color = !opts.output && useColor(process.stdout);
        text =
          (sources ? describeSources(sources) : '') +
          renderScanText(result, makeStyle(color), { verbose: opts.verbose }) +
          (result.stats.llm && secondOpinion
            ? `${secondOpinion.describeSecondOpinions(result.stats.llm)}\n`
            : '');
      }
      if (opts.output) writeFileSync(opts.output, text);
      else process.stdout.write(text);

      const failOn = opts.failOn as Severity | 'none';
      if (failOn !== 'none' && result.findings.some((f) => atLeast(f.severity, failOn))) setExit(1);
    });
}
