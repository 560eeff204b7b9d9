// portcullis/redteam: environments, tasks, attacks, agents, the runner and its scoring.

export { createAgent } from './agents/index.js';
export { createWorstCaseAgent } from './agents/worst-case.js';
export { ATTACK_IDS, TEMPLATES, TOOL_ATTACKS } from './attacks.js';
export { type Defense, EnvPool, openConnection } from './connect.js';
export { type PlannedRun, planRuns, type RunResult, runAll, runOne } from './run.js';
export { buildReport, type Report, scoreRuns } from './score.js';
export { SUITE_NAMES, suiteByName } from './suites/index.js';
export type * from './types.js';
