#!/usr/bin/env node
// The red-team harness's timing target: the whole built-in suite with the worst-case agent in
// under 60 s, undefended and with the default guard (each run: real env server processes, the
// guard and a durable audit log). Prints the scores too, so a regression in either shows here.
import { createWorstCaseAgent } from '../../dist/redteam/agents/worst-case.js';
import { planRuns, runAll } from '../../dist/redteam/run.js';
import { buildReport } from '../../dist/redteam/score.js';
import { SUITE_NAMES, suiteByName } from '../../dist/redteam/suites/index.js';

const TARGET_MS = 60_000;
const suites = await Promise.all(SUITE_NAMES.map((n) => suiteByName(n)));
const plan = planRuns(suites);
const agent = createWorstCaseAgent();
let failed = false;
for (const defense of [{ kind: 'none' }, { kind: 'guard', label: 'default' }]) {
  const t = Date.now();
  const runs = await runAll(suites, plan, { agent, defense });
  const ms = Date.now() - t;
  const r = buildReport(runs, {
    agent: agent.name,
    defense: defense.label ?? 'none',
    approvals: 'intended',
    ms,
  });
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  console.log(
    `${(defense.label ?? 'none').padEnd(8)} ${runs.length} runs over ${suites.length} suites in ${(ms / 1000).toFixed(1)} s ` +
      `(target < ${TARGET_MS / 1000} s): utility ${pct(r.summary.utility)}, under attack ${pct(r.summary.utilityUnderAttack)}, ` +
      `ASR ${pct(r.summary.attackSuccessRate)}`,
  );
  if (ms >= TARGET_MS) failed = true;
}
process.exitCode = failed ? 1 : 0;
