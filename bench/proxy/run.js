#!/usr/bin/env node
// bench/proxy: (1) added latency per tools/call through `portcullis proxy` (default policy, 10 KB
// result, audit log fsynced per decision) against a direct SDK connection to the same server in
// the same run, interleaved in rounds so machine load hits both alike; (2) decision time of the
// engine in process; (3) a fuzz run of >= 100k malformed and random JSON-RPC frames on the proxy's
// stdin that must end with zero crashes and zero hangs (the proxy still answers a ping); (1b) the
// same latency over Streamable HTTP (`proxy --listen --upstream`), both protocol eras (http.js).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { httpLatency } from './http.js';
import { compareLatency, ms, pct } from './latency.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const server = join(root, 'test', 'fixtures', 'servers', 'proxy', 'email.mjs');
const cli = join(root, 'dist', 'cli', 'main.js');
const runner = join(root, 'test', 'fixtures', 'servers', 'proxy', 'run-dist.mjs');
const ROUNDS = Number(process.env.BENCH_PROXY_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_PROXY_CALLS ?? 200);
const FUZZ_FRAMES = Number(process.env.BENCH_PROXY_FUZZ ?? 100_000);
let failed = false;

async function connect(args) {
  const transport = new StdioClientTransport({ command: process.execPath, args, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const client = new Client({ name: 'bench', version: '1' });
  client.onclose = () => {
    if (stderr.includes('Error')) console.error(`bench/proxy: a connection closed; its stderr:\n${stderr}`);
  };
  await client.connect(transport, { timeout: 120_000 });
  return client;
}

async function latency(label, auditDir) {
  const direct = await connect([server]);
  const proxied = await connect([
    runner,
    'proxy',
    '--audit',
    join(auditDir, 'bench.jsonl'),
    '--',
    process.execPath,
    server,
  ]);
  return compareLatency(direct, proxied, {
    rounds: ROUNDS,
    perRound: PER_ROUND,
    title: `tools/call, 10 KB result, audit on ${label}`,
  });
}

async function decisionTime() {
  const { createGuard } = await import(pathToFileURL(join(root, 'dist', 'guard', 'index.js')).href);
  const guard = createGuard();
  guard.registerTools('mail', [
    { server: 'mail', name: 'read_email', description: 'Read one email by id.' },
    {
      server: 'mail',
      name: 'send_email',
      description: 'Send an email.',
      annotations: { openWorldHint: true },
    },
    { server: 'mail', name: 'report', description: 'A report.' },
  ]);
  const session = guard.session('bench');
  const times = [];
  for (let i = 0; i < 20_000; i++) {
    const call = {
      callId: String(i),
      server: 'mail',
      tool: i % 2 ? 'report' : 'send_email',
      arguments: { to: `user${i}@example.com`, bytes: i },
    };
    const t = process.hrtime.bigint();
    guard.decideCall(session, call);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(
    `decideCall (20k calls): p50 ${ms(pct(times, 50))} (target 0.05 ms)  p99 ${ms(pct(times, 99))} (target 0.5 ms)`,
  );
}

// ---- fuzz

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = [
  'tools/list',
  'tools/call',
  'resources/read',
  'prompts/get',
  'ping',
  'initialize',
  'completion/complete',
  'logging/setLevel',
  'resources/subscribe',
  'notifications/cancelled',
  'notifications/progress',
  'sampling/createMessage',
  'x/unknown',
  '',
  'rpc.discover',
  '__proto__',
  'constructor',
];

function randomValue(r, depth) {
  const k = Math.floor(r() * (depth > 3 ? 5 : 8));
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return [Number.MAX_SAFE_INTEGER, -1, 0, 1e308, 0.5, -0][Math.floor(r() * 6)];
    case 3:
      return 'x'.repeat(Math.floor(r() * 64)) + String.fromCharCode(Math.floor(r() * 0xffff));
    case 4:
      return ['__proto__', 'constructor', '\u202e', '\u0000', 'exfil@attacker.example'][Math.floor(r() * 5)];
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o = {};
      for (let i = Math.floor(r() * 4); i > 0; i--)
        o[['name', 'arguments', 'uri', 'id', '_meta', 'a'][Math.floor(r() * 6)]] = randomValue(r, depth + 1);
      return o;
    }
  }
}

function frame(r, i) {
  const kind = r();
  if (kind < 0.2) {
    // random bytes (no newline inside)
    const len = Math.floor(r() * 200);
    let s = '';
    for (let j = 0; j < len; j++) s += String.fromCharCode(1 + Math.floor(r() * 0x7e));
    return s.replace(/\n/g, ' ');
  }
  if (kind < 0.35) {
    const good = JSON.stringify({
      jsonrpc: '2.0',
      id: i,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'x' } },
    });
    return good.slice(0, Math.floor(r() * good.length)); // truncated
  }
  if (kind < 0.45) return '['.repeat(Math.floor(r() * 5000)) + ']'.repeat(Math.floor(r() * 5000)); // deep nesting
  if (kind < 0.55) return JSON.stringify(randomValue(r, 0));
  const msg = { jsonrpc: r() < 0.9 ? '2.0' : randomValue(r, 3) };
  const shape = r();
  if (shape < 0.6) {
    msg.id = r() < 0.8 ? `f${i}` : randomValue(r, 3);
    // Requests that would reach the upstream are rare, so the run measures the proxy, not the server.
    msg.method =
      r() < 0.01 ? METHODS[Math.floor(r() * 5)] : METHODS[5 + Math.floor(r() * (METHODS.length - 5))];
    if (r() < 0.8) msg.params = randomValue(r, 1);
  } else if (shape < 0.8) {
    msg.method = METHODS[Math.floor(r() * METHODS.length)];
    msg.params = randomValue(r, 1);
  } else {
    msg.id = r() < 0.5 ? Math.floor(r() * 100) : randomValue(r, 3);
    if (r() < 0.5) msg.result = randomValue(r, 1);
    else msg.error = randomValue(r, 1);
  }
  return JSON.stringify(msg);
}

async function fuzz(auditDir) {
  const child = spawn(
    process.execPath,
    [
      runner,
      'proxy',
      '--audit',
      join(auditDir, 'fuzz.jsonl'),
      '--timeout',
      '5s',
      '--',
      process.execPath,
      server,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  let stderrLines = 0;
  child.stderr.on('data', (d) => {
    stderrLines += d.toString().split('\n').length - 1;
  });
  let buf = '';
  let responses = 0;
  let badOutput = 0;
  const codes = new Map();
  let pingResolve;
  const pinged = new Promise((r) => {
    pingResolve = r;
  });
  child.stdout.on('data', (d) => {
    buf += d.toString();
    let nl = buf.indexOf('\n');
    while (nl !== -1) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
      let m;
      try {
        m = JSON.parse(line);
      } catch {
        badOutput++;
        continue;
      }
      responses++;
      if (m.error) codes.set(m.error.code, (codes.get(m.error.code) ?? 0) + 1);
      if (m.id === 'final-ping') pingResolve(m);
    }
  });
  const write = (s) =>
    child.stdin.write(s) ? Promise.resolve() : new Promise((r) => child.stdin.once('drain', r));
  await write(
    `${JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } })}\n`,
  );
  await write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  const r = rng(0xc0ffee);
  const t0 = Date.now();
  let batch = '';
  for (let i = 0; i < FUZZ_FRAMES; i++) {
    batch += `${frame(r, i)}\n`;
    if (batch.length > 64 * 1024) {
      await write(batch);
      batch = '';
    }
    if (exited) break;
  }
  await write(batch);
  // An oversize frame, streamed, at the end.
  await write(
    `{"jsonrpc":"2.0","id":"big","method":"ping","params":{"x":"${'y'.repeat(17 * 1024 * 1024)}"}}\n`,
  );
  await write(`${JSON.stringify({ jsonrpc: '2.0', id: 'final-ping', method: 'ping' })}\n`);
  const answer = await Promise.race([
    pinged,
    new Promise((res) => setTimeout(() => res(undefined), 120_000)),
  ]);
  const secs = (Date.now() - t0) / 1000;
  const crashed = exited !== null;
  const hung = !answer;
  child.stdin.end();
  await new Promise((res) => {
    if (exited) res();
    else child.once('exit', res);
    setTimeout(res, 10_000);
  });
  const top = [...codes]
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c}:${n}`)
    .join(' ');
  console.log(
    `fuzz: ${FUZZ_FRAMES} frames + 1 oversize (17 MiB) in ${secs.toFixed(1)} s; ${responses} answers (error codes ${top}); ${badOutput} unparseable output lines; ${stderrLines} log lines`,
  );
  console.log(
    `fuzz: crashes ${crashed ? 1 : 0}, hangs ${hung ? 1 : 0}, final ping ${answer ? 'answered' : 'NOT answered'}${exited ? ` (proxy exited ${JSON.stringify(exited)})` : ''}`,
  );
  if (crashed || hung || badOutput > 0) failed = true;
}

if (!existsSync(cli)) {
  console.error('bench/proxy: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const disk = mkdtempSync(join(tmpdir(), 'pc-bench-proxy-'));
const shm = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/pc-bench-proxy-') : undefined;
try {
  if (!process.env.BENCH_PROXY_SKIP_DISK) await latency(`disk (${tmpdir()})`, disk);
  if (shm) await latency('tmpfs (/dev/shm), no fsync cost', shm);
  if (!process.env.BENCH_PROXY_SKIP_HTTP) {
    const http = { root, runner, rounds: ROUNDS, perRound: PER_ROUND };
    if (!process.env.BENCH_PROXY_SKIP_DISK)
      await httpLatency({ ...http, auditDir: disk, label: `disk (${tmpdir()})` });
    if (shm) await httpLatency({ ...http, auditDir: shm, label: 'tmpfs (/dev/shm), no fsync cost' });
  }
  await decisionTime();
  await fuzz(disk);
} finally {
  rmSync(disk, { recursive: true, force: true });
  if (shm) rmSync(shm, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
