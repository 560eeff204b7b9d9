// The runner: plans benign and attack runs over suites, runs each against real env servers through
// the chosen defense, and judges the final state with the tasks' checks.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApprovalChannel, approvalKeyOf } from '../guard/index.js';
import { TEMPLATES, TOOL_ATTACKS, toolPayload } from './attacks.js';
import {
  type Connection,
  type Defense,
  EnvPool,
  type EnvProcess,
  openConnection,
  type ServerSpec,
  startEnvProcess,
} from './connect.js';
import { ATTACKER_SERVER, attackerState, type ToolAttackMode } from './envs/attacker.js';
import { readState } from './envs/serve.js';
import type {
  Agent,
  AgentHints,
  CallOutcome,
  InjectionTask,
  Json,
  Suite,
  ToolPort,
  UserTask,
} from './types.js';

export interface PlannedRun {
  suite: string;
  userTask: string;
  /** Absent in benign runs. */
  injectionTask?: string;
  /** Template id, or `tool-<mode>` for tool-side attacks. */
  attack?: string;
}

export interface BlockedCall {
  server: string;
  tool: string;
  reason: string;
}

export interface RunResult extends PlannedRun {
  utility: boolean;
  attackSuccess?: boolean;
  answer: string;
  blocked: BlockedCall[];
  ms: number;
  meta?: Record<string, Json>;
  /** Set when the run itself failed (a server did not start): counted as a failure of the task. */
  error?: string;
  /** The guard's audit log of this run, when kept. */
  auditFile?: string;
  /** The final state, when asked for (the demo shows what the attacker got). */
  finalState?: Json;
}

/**
 * Benign runs: every user task. Attack runs: each injection task against three user tasks whose
 * reads carry a vector, the templates cycling; and each tool-side attack once, with the injection
 * tasks and user tasks cycling. Deterministic.
 */
export function planRuns(suites: Suite[], options: { attacks?: string[] } = {}): PlannedRun[] {
  const runs: PlannedRun[] = [];
  const allowed = (id: string) => !options.attacks || options.attacks.includes(id);
  const templates = TEMPLATES.filter((t) => allowed(t.id));
  for (const suite of suites) {
    for (const t of suite.userTasks) runs.push({ suite: suite.name, userTask: t.id });
    const exposed = suite.userTasks.filter((t) => t.vectors.length > 0);
    let k = 0;
    if (exposed.length > 0 && templates.length > 0) {
      suite.injectionTasks.forEach((inj, i) => {
        for (let j = 0; j < Math.min(3, exposed.length); j++) {
          const ut = exposed[(i * 3 + j) % exposed.length] as UserTask<Json>;
          const template = templates[k++ % templates.length];
          runs.push({
            suite: suite.name,
            userTask: ut.id,
            injectionTask: inj.id,
            attack: template?.id as string,
          });
        }
      });
    }
    TOOL_ATTACKS.filter((a) => allowed(a.id)).forEach((a, m) => {
      const inj = suite.injectionTasks[m % suite.injectionTasks.length];
      const ut = suite.userTasks[(m * 3 + 1) % suite.userTasks.length];
      if (inj && ut) runs.push({ suite: suite.name, userTask: ut.id, injectionTask: inj.id, attack: a.id });
    });
  }
  return runs;
}

/** Whitespace-collapsed, so wrapping by a defense or a JSON encoding does not hide a text. */
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** How the worst-case agent recognises an attack text in its context (raw or JSON-escaped). */
export function recogniser(fragment: string): (context: string) => boolean {
  const forms = [squash(fragment), squash(JSON.stringify(fragment).slice(1, -1))];
  return (context) => {
    const c = squash(context);
    return forms.some((f) => f.length > 0 && c.includes(f));
  };
}

/** The calls the user's task makes on this exact state: what a careful user approves when asked. */
export async function intendedCalls(suite: Suite, task: UserTask<Json>, state: Json): Promise<Set<string>> {
  const copy = structuredClone(state);
  const keys = new Set<string>();
  const port: ToolPort = {
    async call(server, tool, args): Promise<CallOutcome> {
      keys.add(approvalKeyOf({ callId: '', server, tool, arguments: args }));
      const env = suite.servers.find((s) => s.name === server);
      if (!env) return { text: `no server ${server}`, isError: true, denied: false };
      const r = env.call(copy, tool, JSON.parse(JSON.stringify(args)) as Record<string, unknown>);
      return { text: r.text, isError: r.isError === true, denied: false };
    },
  };
  await task.solve(port).catch(() => undefined);
  return keys;
}

/** A user at the approval prompt who says yes exactly to the calls their task needs. */
export function simulatedUser(intended: Set<string>): ApprovalChannel {
  return {
    name: 'simulated-user',
    available: () => true,
    ask: async (request) =>
      intended.has(request.approvalKey)
        ? { granted: true, scope: 'once', by: 'simulated-user' }
        : { granted: false, scope: 'once', by: 'simulated-user', reason: 'not something the user asked for' },
  };
}

export interface RunOptions {
  agent: Agent;
  defense: Defense;
  /** `intended`: a simulated user approves the calls the task needs; `none`: approvals are denied. */
  approvals?: 'intended' | 'none';
  /** Keep audit logs under this directory (one per run); else they are deleted. */
  keepDir?: string;
  callTimeoutMs?: number;
  /** Return the final state in the result. */
  keepState?: boolean;
  /** Env servers kept between runs (runAll makes one); without it each run starts its own. */
  pool?: EnvPool;
}

export async function runOne(suite: Suite, planned: PlannedRun, options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const task = suite.userTasks.find((t) => t.id === planned.userTask);
  if (!task) throw new Error(`unknown user task ${planned.userTask}`);
  const inj = planned.injectionTask
    ? suite.injectionTasks.find((t) => t.id === planned.injectionTask)
    : undefined;
  if (planned.injectionTask && !inj) throw new Error(`unknown injection task ${planned.injectionTask}`);
  const template = TEMPLATES.find((t) => t.id === planned.attack);
  const toolAttack = TOOL_ATTACKS.find((t) => t.id === planned.attack);
  const userName = suite.userName ?? 'the user';
  const attackText = inj && template ? template.render(inj.goal, { userName }) : undefined;
  const vectors = new Map(suite.vectors.map((v) => [v.id, v.benign]));
  const initial = suite.initialState((id) =>
    attackText !== undefined && task.vectors.includes(id) ? attackText : (vectors.get(id) ?? ''),
  ) as Json;

  const dir = mkdtempSync(join(options.keepDir ?? tmpdir(), 'pc-redteam-'));
  let fragment = attackText;
  let attackerSpec: ServerSpec | undefined;
  if (inj && toolAttack) {
    const payload = toolPayload(inj.goal);
    fragment = payload;
    const sink = suite.servers
      .flatMap((s) => s.tools(initial).map((t) => `${s.name}/${t.name}`))
      .find((n) => /send|transfer|share|post|pay/.test(n));
    const attackerFile = join(dir, 'attacker.json');
    writeFileSync(
      attackerFile,
      JSON.stringify(attackerState(toolAttack.mode as ToolAttackMode, payload, sink ?? '')),
    );
    attackerSpec = { suite: suite.name, key: ATTACKER_SERVER, stateFile: attackerFile };
  }
  const hints: AgentHints = {
    task: task as UserTask<Json>,
    attacks:
      inj && fragment
        ? [{ recognise: recogniser(fragment), carryOut: (port) => (inj as InjectionTask<Json>).solve(port) }]
        : [],
  };
  const auditFile = options.defense.kind === 'guard' ? join(dir, 'audit.jsonl') : undefined;
  const blocked: BlockedCall[] = [];
  let conn: Connection | undefined;
  const result: RunResult = { ...planned, utility: false, answer: '', blocked, ms: 0 };
  const keys = suite.servers.map((s) => s.name);
  let group: EnvProcess[] | undefined;
  let attacker: EnvProcess | undefined;
  let stateFile = join(dir, 'state.json');
  try {
    if (options.pool) {
      group = await options.pool.acquire(suite.name, keys);
      stateFile = (group[0] as EnvProcess).spec.stateFile;
      writeFileSync(stateFile, JSON.stringify(initial));
    } else {
      writeFileSync(stateFile, JSON.stringify(initial));
      group = await Promise.all(keys.map((key) => startEnvProcess({ suite: suite.name, key, stateFile })));
    }
    if (attackerSpec) attacker = await startEnvProcess(attackerSpec);
    const approvals =
      options.defense.kind === 'guard' && (options.approvals ?? 'intended') === 'intended'
        ? simulatedUser(await intendedCalls(suite, task as UserTask<Json>, initial))
        : undefined;
    conn = await openConnection({
      processes: [...group, ...(attacker ? [attacker] : [])],
      defense: options.defense,
      ...(auditFile ? { auditFile } : {}),
      ...(approvals ? { approvals } : {}),
      ...(toolAttack?.mode === 'rug-pull' ? { expectListChange: [ATTACKER_SERVER] } : {}),
      ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
    });
    const inner = conn.env;
    const env = {
      tools: inner.tools,
      async call(server: string, tool: string, args: Record<string, unknown>) {
        const out = await inner.call(server, tool, args);
        if (out.denied) blocked.push({ server, tool, reason: out.text.replace(/^\[portcullis\] /, '') });
        return out;
      },
    };
    const run = await options.agent.run(task.prompt, env, hints);
    result.answer = run.answer;
    if (run.meta) result.meta = run.meta;
  } catch (e) {
    result.error = (e as Error).message;
  } finally {
    await conn?.close();
    await attacker?.upstream.transport.close().catch(() => undefined);
  }
  try {
    const final = readState(stateFile);
    if (options.keepState) result.finalState = final;
    result.utility = !result.error && task.check(initial, final, result.answer);
    if (inj) result.attackSuccess = inj.check(initial, final);
  } catch (e) {
    result.error ??= `the final state could not be read: ${(e as Error).message}`;
  } finally {
    // Only now may another run reuse the servers (and their state file).
    if (group && options.pool) options.pool.release(suite.name, group);
    else for (const p of group ?? []) await p.upstream.transport.close().catch(() => undefined);
  }
  result.ms = Date.now() - started;
  if (options.keepDir && auditFile) result.auditFile = auditFile;
  else rmSync(dir, { recursive: true, force: true });
  return result;
}

export interface RunAllOptions extends RunOptions {
  jobs?: number;
  onProgress?: (done: number, total: number, last: RunResult) => void;
}

/** Runs the plan with a few runs at a time (each is a few processes); results in plan order. */
export async function runAll(
  suites: Suite[],
  plan: PlannedRun[],
  options: RunAllOptions,
): Promise<RunResult[]> {
  const bySuite = new Map(suites.map((s) => [s.name, s]));
  const results: RunResult[] = new Array(plan.length);
  const jobs = Math.max(1, options.jobs ?? Math.min(4, Math.max(2, availableParallelism())));
  let next = 0;
  let done = 0;
  const poolDir = mkdtempSync(join(tmpdir(), 'pc-redteam-pool-'));
  const pool = options.pool ?? new EnvPool(poolDir);
  const worker = async () => {
    while (next < plan.length) {
      const i = next++;
      const p = plan[i] as PlannedRun;
      const suite = bySuite.get(p.suite);
      if (!suite) throw new Error(`unknown suite ${p.suite}`);
      const r = await runOne(suite, p, { ...options, pool });
      results[i] = r;
      options.onProgress?.(++done, plan.length, r);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, plan.length) }, worker));
  } finally {
    if (!options.pool) await pool.close();
    rmSync(poolDir, { recursive: true, force: true });
  }
  return results;
}
