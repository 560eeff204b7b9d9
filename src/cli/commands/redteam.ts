// `portcullis redteam` — runs the built-in suites against an agent, with or without the guard,
// and reports utility, utility under attack and attack success rate. Wiring and output only.
import { writeFileSync } from 'node:fs';
import { type Command, Option } from '@commander-js/extra-typings';
import { PortcullisError } from '../../core/errors.js';
import { loadPolicy } from '../../guard/index.js';
import { createAgent } from '../../redteam/agents/index.js';
import { ATTACK_IDS } from '../../redteam/attacks.js';
import type { Defense } from '../../redteam/connect.js';
import { planRuns, runAll } from '../../redteam/run.js';
import { buildReport } from '../../redteam/score.js';
import { SUITE_NAMES, suiteByName } from '../../redteam/suites/index.js';
import { renderRedteamHtml } from '../../report/redteam-html.js';
import { renderRedteamText } from '../../report/redteam-text.js';
import { makeStyle, useColor } from '../../report/style.js';
import type { SetExit } from './index.js';
import { progressReporter } from './progress.js';

const list = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export function defenseOf(spec: string): Defense {
  if (spec === 'none') return { kind: 'none' };
  if (spec === 'default') return { kind: 'guard', label: 'default' };
  return { kind: 'guard', policy: loadPolicy(spec), label: spec };
}

export function registerRedteam(program: Command, setExit: SetExit): void {
  program
    .command('redteam')
    .description(
      'Attack an agent through simulated tool environments, with or without the guard, and score it.',
    )
    .option('--agent <spec>', 'worst-case, ollama:MODEL or openai:URL#MODEL', 'worst-case')
    .option('--defense <spec>', 'none, default (the built-in policy) or a policy file', 'default')
    .option(
      '--suite <names>',
      `suites to run (comma-separated; default all: ${SUITE_NAMES.join(', ')})`,
      list,
    )
    .option('--attack <ids>', `attacks to run (default all: ${ATTACK_IDS.join(', ')})`, list)
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'json', 'html'] as const)
        .default('text' as const),
    )
    .option('--out <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option(
        '--approvals <mode>',
        'how approval requests are answered: intended (a simulated user approves the calls the task needs) or none',
      )
        .choices(['intended', 'none'] as const)
        .default('intended' as const),
    )
    .option('--jobs <n>', 'runs at a time', (v) => Number.parseInt(v, 10))
    .option('--base-url <url>', 'model server URL (LLM agents)')
    .option('--seed <n>', 'model seed (LLM agents)', (v) => Number.parseInt(v, 10))
    .action(async (opts) => {
      const names = opts.suite ?? [...SUITE_NAMES];
      const suites = await Promise.all(names.map((n) => suiteByName(n)));
      for (const a of opts.attack ?? [])
        if (!ATTACK_IDS.includes(a))
          throw new PortcullisError('USAGE', `unknown attack ${a} (known: ${ATTACK_IDS.join(', ')})`, {
            field: 'attack',
          });
      if (opts.jobs !== undefined && !(opts.jobs >= 1 && opts.jobs <= 64))
        throw new PortcullisError('USAGE', '--jobs must be between 1 and 64', { field: 'jobs' });
      const defense = defenseOf(opts.defense);
      const agent = await createAgent(opts.agent, {
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      });
      const plan = planRuns(suites, opts.attack ? { attacks: opts.attack } : {});
      const progress = progressReporter(process.stderr, 'redteam');
      const started = Date.now();
      const runs = await runAll(suites, plan, {
        agent,
        defense,
        approvals: opts.approvals,
        ...(opts.jobs ? { jobs: opts.jobs } : {}),
        onProgress: (done, total, r) =>
          progress?.update(done, total, `${r.userTask}${r.attack ? ` × ${r.attack}` : ''}`),
      });
      progress?.done();
      const report = buildReport(runs, {
        agent: agent.name,
        defense: defense.kind === 'none' ? 'none' : defense.label,
        approvals: defense.kind === 'none' ? 'n/a' : opts.approvals,
        ms: Date.now() - started,
      });
      const text =
        opts.format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : opts.format === 'html'
            ? renderRedteamHtml(report)
            : renderRedteamText(report, makeStyle(!opts.out && useColor(process.stdout)));
      if (opts.out) {
        writeFileSync(opts.out, text);
        process.stderr.write(`portcullis: wrote ${opts.format} report to ${opts.out}\n`);
      } else process.stdout.write(text);
      if (report.stats.errors > 0) setExit(1);
    });
}
