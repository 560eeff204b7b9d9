#!/usr/bin/env node
// Tool discovery and handler linking on the real MCP servers: per package, tools found, tools
// with a handler linked, duplicates of shipped builds, and tools with a high/critical finding.
// Usage: node bench/scan/linking.js [--dist DIR] [--list-unlinked]
// (DIR defaults to dist/; build first with `node scripts/build.js`.)
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { npmServers } from './corpus.js';

const args = process.argv.slice(2);
const distArg = args.indexOf('--dist');
const dist = resolve(distArg >= 0 ? args[distArg + 1] : join(import.meta.dirname, '../../dist'));
const listUnlinked = args.includes('--list-unlinked');
const { scanPaths } = await import(pathToFileURL(join(dist, 'scan/scan.js')).href);

const total = { tools: 0, linked: 0, effects: 0, high: 0, duplicates: 0, notUnderstood: 0 };
console.log(
  '| package | tools | handler linked | with effects | duplicate copies | not understood | high/critical |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const { name, dir } of npmServers()) {
  const r = await scanPaths([dir], { cwd: dir });
  const linked = r.tools.filter((t) => t.handler).length;
  const effects = r.tools.filter((t) => t.effects.length > 0).length;
  const high = new Set(
    r.findings.filter((f) => f.severity === 'high' || f.severity === 'critical').map((f) => f.tool),
  );
  const duplicates = r.coverage.duplicateTools?.length ?? 0;
  const nu = r.stats.registrationsNotUnderstood;
  total.tools += r.tools.length;
  total.linked += linked;
  total.effects += effects;
  total.high += high.size;
  total.duplicates += duplicates;
  total.notUnderstood += nu;
  console.log(
    `| ${name} | ${r.tools.length} | ${linked} | ${effects} | ${duplicates} | ${nu} | ${high.size} |`,
  );
  for (const id of high) console.log(`|   high: ${id} | | | | | | |`);
  if (listUnlinked)
    for (const t of r.tools.filter((x) => !x.handler)) console.error(`unlinked ${name}: ${t.id}:${t.line}`);
}
console.log(
  `| **total** | **${total.tools}** | **${total.linked}** | **${total.effects}** | **${total.duplicates}** | **${total.notUnderstood}** | **${total.high}** |`,
);
