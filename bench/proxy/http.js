// bench/proxy, HTTP part: added latency per tools/call (10 KB result, default policy, audit on)
// through `portcullis proxy --listen` against a direct Streamable HTTP connection to the same
// server in the same run, interleaved in rounds. The upstream server, the proxy and the client are
// three processes, as in use; both protocol eras are measured.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { compareLatency } from './latency.js';

/** Starts a process and resolves with the first match of `pattern` on the given stream. */
function startAnnouncing(args, pattern, stream) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no announcement from ${args.join(' ')}:\n${out}`)), 120_000);
    child[stream].on('data', (d) => {
      out = (out + d.toString()).slice(-8000);
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(t);
        resolve({ child, url: m[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`exited ${code}:\n${out}`));
    });
  });
}

async function connect(url, era) {
  const client = new Client(
    { name: 'bench', version: '1' },
    era === 'legacy' ? {} : { versionNegotiation: { mode: { pin: era } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)), { timeout: 60_000 });
  return client;
}

/** Returns { add50, add99 } per era; prints the figures like the stdio ones. */
export async function httpLatency({ root, runner, auditDir, label, rounds, perRound }) {
  const serverFile = join(root, 'test', 'fixtures', 'servers', 'proxy', 'email-http.mjs');
  const upstream = await startAnnouncing([serverFile], /URL (http:\/\/\S+)\n/, 'stdout');
  const proxy = await startAnnouncing(
    [
      runner,
      'proxy',
      '--listen',
      '127.0.0.1:0',
      '--audit',
      join(auditDir, 'bench-http.jsonl'),
      '--upstream',
      upstream.url,
    ],
    / on (http:\/\/\S+\/mcp);/,
    'stderr',
  );
  const figures = {};
  try {
    for (const era of ['2026-07-28', 'legacy']) {
      const direct = await connect(upstream.url, era);
      const proxied = await connect(proxy.url, era);
      const eraName = era === 'legacy' ? '2025 era (sessions)' : '2026-07-28 era (sessionless)';
      figures[era] = await compareLatency(direct, proxied, {
        rounds,
        perRound,
        title: `tools/call over Streamable HTTP, ${eraName}, 10 KB result, audit on ${label}`,
      });
    }
  } finally {
    proxy.child.kill('SIGTERM');
    upstream.child.kill('SIGTERM');
    await new Promise((r) => (proxy.child.exitCode !== null ? r() : proxy.child.once('exit', r)));
  }
  return figures;
}
