#!/usr/bin/env node
// Start-to-exit latency of `/bin/true` and `node -e 0`: unsandboxed, under bwrap + seccomp without a
// cgroup, and through run() (bwrap + seccomp + transient cgroup), interleaved in the same run so
// machine load affects all alike. Reports p50/p90, the p50 overhead, and memory overhead (peak
// memory of the same command in a bare cgroup vs inside the sandbox). Needs `npm run build` first.
// Usage: node bench/sandbox/run.js [iterations]   (default 25)
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sb = await import(join(root, 'dist', 'sandbox', 'index.js'));
const N = Number(process.argv[2] ?? 25);

const report = sb.probeSandbox();
if (!report.bwrapReady) {
  console.log('bwrap sandbox not available here; skipped. `portcullis doctor` says why.');
  process.exit(0);
}
const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
const filter = sb.seccompFilterBytes(arch);
const bwrap = sb.findExecutable('bwrap');
const opts = sb.resolveOptions({});
const CLEAN_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', LANG: 'C.UTF-8' };

function timeSpawn(cmd, args, withFilter) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const c = spawn(cmd, args, {
      stdio: ['ignore', 'ignore', 'ignore', withFilter ? 'pipe' : 'ignore'],
      // The sandbox's environment for the baseline too (NODE_EXTRA_CA_CERTS alone costs node ~100 ms).
      env: CLEAN_ENV,
    });
    if (withFilter) c.stdio[3].end(filter);
    c.on('error', reject);
    c.on('exit', (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} exit ${code}`)),
    );
  });
}

/** Peak memory of argv run in a bare transient cgroup (joined by a shell before exec, like run()). */
function bareCgroupPeak(argv) {
  const cg = sb.TransientCgroup.create(sb.detectCgroupLayout(), {
    memoryBytes: opts.memoryBytes,
    pids: 64,
    cpus: 1,
  });
  const script = 'for f; do [ "$f" = -- ] && break; echo $$ > "$f"; shift; done; shift; exec "$@"';
  return new Promise((resolve) => {
    const c = spawn('/bin/sh', ['-c', script, 'x', ...cg.procsFiles(), '--', ...argv], {
      stdio: 'ignore',
      env: CLEAN_ENV,
    });
    c.on('exit', async () => {
      const peak = cg.stats().peakMemoryBytes;
      await cg.destroy();
      resolve(peak);
    });
  });
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => `${x.toFixed(1)} ms`;
const mib = (x) => (x == null ? 'n/a' : `${(x / 1048576).toFixed(1)} MiB`);

const commands = [
  ['/bin/true', ['/bin/true']],
  ['node -e 0', [process.execPath, '-e', '0']],
];
let worst = 0;
let worstGvisor = 0;
const gvisorRuns = report.gvisorReady ? Math.max(3, Math.min(N, 8)) : 0;
if (!gvisorRuns) console.log('gVisor: not available here (`portcullis doctor`), skipped');
for (const [label, argv] of commands) {
  const plan = sb.buildMountPlan(argv, opts);
  const bargs = sb.bwrapArgs(plan, { seccomp: true });
  const times = { bare: [], bwrap: [], full: [] };
  let peak = 0;
  for (let i = 0; i < N + 3; i++) {
    const bare = await timeSpawn(argv[0], argv.slice(1), false);
    const bw = await timeSpawn(bwrap, bargs, true);
    const t0 = performance.now();
    const r = await sb.run(argv);
    const full = performance.now() - t0;
    if (r.exitCode !== 0) throw new Error(`${label} failed in the sandbox: ${r.stderr}`);
    if (i < 3) continue; // warm-up
    times.bare.push(bare);
    times.bwrap.push(bw);
    times.full.push(full);
    peak = Math.max(peak, r.peakMemoryBytes ?? 0);
  }
  const barePeak = await bareCgroupPeak(argv);
  const p50 = { bare: pct(times.bare, 50), bwrap: pct(times.bwrap, 50), full: pct(times.full, 50) };
  worst = Math.max(worst, p50.full - p50.bare);
  console.log(`${label}  (${N} runs each, interleaved)`);
  console.log(`  unsandboxed            p50 ${ms(p50.bare)}  p90 ${ms(pct(times.bare, 90))}`);
  console.log(
    `  bwrap+seccomp          p50 ${ms(p50.bwrap)}  p90 ${ms(pct(times.bwrap, 90))}  overhead ${ms(p50.bwrap - p50.bare)}`,
  );
  console.log(
    `  run() bwrap+cgroup     p50 ${ms(p50.full)}  p90 ${ms(pct(times.full, 90))}  overhead ${ms(p50.full - p50.bare)}`,
  );
  console.log(
    `  peak memory: bare ${mib(barePeak)}, sandboxed ${mib(peak)}, overhead ${mib(peak - (barePeak ?? 0))}`,
  );
  if (gvisorRuns > 0) {
    // gVisor starts a sentry and a gofer per run: fewer iterations, compared with the same bare p50.
    const g = [];
    let gpeak = 0;
    for (let i = 0; i < gvisorRuns + 1; i++) {
      const t0 = performance.now();
      const r = await sb.run(argv, { backend: 'gvisor', memoryBytes: 512 << 20, timeoutMs: 60_000 });
      const t = performance.now() - t0;
      if (r.exitCode !== 0) throw new Error(`${label} failed under gVisor: ${r.stderr}`);
      if (i > 0) g.push(t);
      gpeak = Math.max(gpeak, r.peakMemoryBytes ?? 0);
    }
    const gp50 = pct(g, 50);
    worstGvisor = Math.max(worstGvisor, gp50 - p50.bare);
    console.log(
      `  run() gVisor+cgroup    p50 ${ms(gp50)}  p90 ${ms(pct(g, 90))}  overhead ${ms(gp50 - p50.bare)}  (${gvisorRuns} runs)`,
    );
    console.log(
      `  gVisor peak memory ${mib(gpeak)} (sentry + gofer + command), overhead ${mib(gpeak - (barePeak ?? 0))}`,
    );
  }
}
// Where run()'s time goes, each step timed alone (p50 of N): our own work before the spawn, the
// cgroup join (bwrap waits for its options on fd 4 while its pid joins), and the egress relay.
{
  const layout = sb.detectCgroupLayout();
  const steps = {
    plan: [],
    seccomp: [],
    cgCreate: [],
    cgDestroy: [],
    joined: [],
    unjoined: [],
    netRun: [],
    noNetRun: [],
  };
  // bwrap as run() starts it: options on fd 4, read only after the pid has joined the cgroups.
  const trueArgs = sb.bwrapArgs(sb.buildMountPlan(['/bin/true'], opts), { seccomp: true });
  const split = trueArgs.indexOf('--');
  const joinRun = (cg) =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const c = spawn(bwrap, ['--args', '4', ...trueArgs.slice(split)], {
        stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
        env: {},
      });
      c.stdio[3].end(filter);
      cg?.join([c.pid]);
      c.stdio[4].end(
        Buffer.from(
          trueArgs
            .slice(0, split)
            .map((a) => `${a}\0`)
            .join(''),
        ),
      );
      c.on('exit', () => resolve(performance.now() - t0));
    });
  for (let i = 0; i < N + 2; i++) {
    let t0 = performance.now();
    sb.buildMountPlan(['/bin/true'], sb.resolveOptions({}));
    const plan = performance.now() - t0;
    t0 = performance.now();
    sb.seccompFilterBytes(arch);
    const sec = performance.now() - t0;
    t0 = performance.now();
    const cg = sb.TransientCgroup.create(layout, opts);
    const create = performance.now() - t0;
    const join = await joinRun(cg);
    const bareSh = await joinRun(undefined);
    t0 = performance.now();
    await cg.destroy();
    const destroy = performance.now() - t0;
    t0 = performance.now();
    await sb.run(['/bin/true'], { net: { mode: 'allowlist', allow: [{ host: 'example.com' }] } });
    const net = performance.now() - t0;
    t0 = performance.now();
    await sb.run(['/bin/true']);
    const noNet = performance.now() - t0;
    if (i < 2) continue;
    steps.plan.push(plan);
    steps.seccomp.push(sec);
    steps.cgCreate.push(create);
    steps.cgDestroy.push(destroy);
    steps.joined.push(join);
    steps.unjoined.push(bareSh);
    steps.netRun.push(net);
    steps.noNetRun.push(noNet);
  }
  await sb.pendingCleanups();
  const p = (k) => pct(steps[k], 50);
  console.log('where the time goes (p50, /bin/true):');
  console.log(
    `  options + mount plan ${ms(p('plan'))}; seccomp program ${ms(p('seccomp'))} (built once, cached)`,
  );
  console.log(
    `  cgroup create ${ms(p('cgCreate'))}; remove ${ms(p('cgDestroy'))} (after the exit is reported)`,
  );
  console.log(
    `  bwrap joining the cgroups before it reads its options: ${ms(p('joined'))} vs ${ms(p('unjoined'))} without (+${ms(p('joined') - p('unjoined'))}); p90 ${ms(pct(steps.joined, 90))} vs ${ms(pct(steps.unjoined, 90))}`,
  );
  const note = sb.cgroupJoinNote();
  console.log(
    `  kernel: ${note ? `cgroup moves wait for RCU grace periods here (${note})` : 'cgroup moves are fast here (rcu_expedited or favordynmods)'}`,
  );
  console.log(
    `  --net allowlist (egress proxy + node relay inside): ${ms(p('netRun'))} vs ${ms(p('noNetRun'))} (+${ms(p('netRun') - p('noNetRun'))})`,
  );
}
await sb.pendingCleanups();
console.log(`\nworst p50 overhead (bwrap + cgroup): ${ms(worst)} (target ≤ 10 ms)`);
if (gvisorRuns) console.log(`worst p50 overhead (gVisor + cgroup): ${ms(worstGvisor)} (target ≤ 200 ms)`);
