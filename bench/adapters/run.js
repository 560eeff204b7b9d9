#!/usr/bin/env node
// bench/adapters: added latency per call of the in-process wrappers against calling the tool
// directly, in the same run, interleaved in rounds so machine load hits both alike; 10 KB results,
// default policy, audit log fsynced per record (two records per call: the decision, the result).
// (1) guardTools around an AI SDK tool (string and object results), audit on disk and on tmpfs
// (/dev/shm) to separate the guard's own time from the fsyncs; (2) guardClient around the MCP SDK
// Client over real stdio, against the same client's callTool.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { tool } from 'ai';
import { z } from 'zod';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { guardTools, closeGuardedTools, guardClient } = await import(
  pathToFileURL(join(root, 'dist', 'adapters', 'index.js')).href
);
const server = join(root, 'test', 'fixtures', 'servers', 'proxy', 'email.mjs');
const ROUNDS = Number(process.env.BENCH_ADAPTERS_ROUNDS ?? 10);
const PER_ROUND = Number(process.env.BENCH_ADAPTERS_CALLS ?? 300);
const RESULT_BYTES = 10 * 1024;
const LINE = 'The quarterly figures are in line with the plan; nothing unusual to report. ';
const REPORT = LINE.repeat(Math.ceil(RESULT_BYTES / LINE.length)).slice(0, RESULT_BYTES);
// An object of about 10 KB as JSON: 40 rows of short fields.
const ROWS = {
  rows: Array.from({ length: 40 }, (_, i) => ({
    id: i,
    region: `region-${i}`,
    note: LINE.repeat(3).slice(0, 200),
  })),
};

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (n) => `${n.toFixed(3)} ms`;

async function time(fn, n, out) {
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}

/** Interleaved rounds of direct and wrapped calls; prints and returns the added p50/p99. */
async function compare(label, direct, wrapped) {
  await time(direct, 200, []);
  await time(wrapped, 200, []);
  const d = [];
  const w = [];
  for (let r = 0; r < ROUNDS; r++) {
    await time(direct, PER_ROUND, d);
    await time(wrapped, PER_ROUND, w);
  }
  d.sort((a, b) => a - b);
  w.sort((a, b) => a - b);
  const add50 = pct(w, 50) - pct(d, 50);
  const add99 = pct(w, 99) - pct(d, 99);
  console.log(`${label} (${d.length} calls each):`);
  console.log(`  direct  p50 ${ms(pct(d, 50))}  p99 ${ms(pct(d, 99))}`);
  console.log(`  guarded p50 ${ms(pct(w, 50))}  p99 ${ms(pct(w, 99))}`);
  console.log(`  added   p50 ${ms(add50)}  p99 ${ms(add99)}  (proxy targets: +0.3 ms, +2 ms)`);
  return { add50, add99 };
}

async function aiSdk(auditDir, where) {
  const tools = {
    report: tool({
      description: 'A plain-text report.',
      inputSchema: z.object({ quarter: z.number() }),
      execute: async () => REPORT,
    }),
    table: tool({
      description: 'The figures as rows.',
      inputSchema: z.object({ quarter: z.number() }),
      execute: async () => ROWS,
    }),
  };
  const guarded = guardTools(tools, { audit: join(auditDir, 'ai-sdk.jsonl') });
  const opts = { toolCallId: 'bench', messages: [] };
  for (const name of ['report', 'table']) {
    const check = await guarded[name].execute({ quarter: 1 }, opts);
    if (check !== (name === 'report' ? REPORT : ROWS))
      throw new Error(`${name}: the guard changed a clean result`);
    await compare(
      `guardTools ${name} (${name === 'report' ? '10 KB text' : '10 KB object'}), audit on ${where}`,
      (i) => tools[name].execute({ quarter: i }, opts),
      (i) => guarded[name].execute({ quarter: i }, opts),
    );
  }
  await closeGuardedTools(guarded);
}

async function mcpClient(auditDir) {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [server], stderr: 'pipe' }),
  );
  const guarded = await guardClient(client, { audit: join(auditDir, 'mcp.jsonl') });
  const check = async (r) => {
    if (r.isError || r.content[0].text.length !== RESULT_BYTES) throw new Error('unexpected result');
  };
  await compare(
    'guardClient callTool over stdio (10 KB text), audit on disk',
    async () => check(await client.callTool({ name: 'report', arguments: { bytes: RESULT_BYTES } })),
    async () => check(await guarded.callTool({ name: 'report', arguments: { bytes: RESULT_BYTES } })),
  );
  await guarded.close();
  await client.close();
}

/** Where a guarded call's time goes: the result scan and one durable audit append, alone. */
async function parts(auditDir) {
  const { createGuard } = await import(pathToFileURL(join(root, 'dist', 'guard', 'index.js')).href);
  const { AuditLog } = await import(pathToFileURL(join(root, 'dist', 'audit', 'index.js')).href);
  const guard = createGuard();
  guard.registerTools('ai-sdk', [{ server: 'ai-sdk', name: 'report', description: 'A plain-text report.' }]);
  const session = guard.session('bench');
  const call = { callId: '1', server: 'ai-sdk', tool: 'report', arguments: { quarter: 1 } };
  const result = { content: [{ type: 'text', text: REPORT }] };
  const inspect = [];
  await time(async () => guard.inspectResult(session, call, result), 3000, inspect);
  const log = await AuditLog.open(join(auditDir, 'parts.jsonl'));
  const append = [];
  await time(
    (i) =>
      log.append({
        server: 'ai-sdk',
        tool: 'report',
        method: 'tools/call',
        decision: 'allow',
        reason: 'x',
        args: { quarter: i },
      }),
    3000,
    append,
  );
  await log.close();
  inspect.sort((a, b) => a - b);
  append.sort((a, b) => a - b);
  console.log('where the time goes (two appends and one inspection per call):');
  console.log(`  inspectResult, 10 KB text  p50 ${ms(pct(inspect, 50))}  p99 ${ms(pct(inspect, 99))}`);
  console.log(`  audit append (durable)     p50 ${ms(pct(append, 50))}  p99 ${ms(pct(append, 99))}`);
}

const disk = mkdtempSync(join(tmpdir(), 'pc-bench-adapters-'));
let shm;
try {
  shm = mkdtempSync('/dev/shm/pc-bench-adapters-');
} catch {
  shm = undefined;
}
try {
  await aiSdk(disk, `disk (${tmpdir()})`);
  if (shm) await aiSdk(shm, 'tmpfs (/dev/shm)');
  await mcpClient(disk);
  await parts(disk);
} finally {
  rmSync(disk, { recursive: true, force: true });
  if (shm) rmSync(shm, { recursive: true, force: true });
}
