#!/usr/bin/env node
// Runs every benchmark (bench/*/run.js) in its own process, one after another, so figures do not
// disturb each other. Pass names to run a subset: `npm run bench -- scan`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const names = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('.') && existsSync(join(here, d.name, 'run.js')))
  .map((d) => d.name)
  .filter((n) => only.length === 0 || only.includes(n))
  .sort();
let failed = 0;
for (const name of names) {
  process.stdout.write(`\n== bench/${name} ==\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, name, 'run.js')], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
