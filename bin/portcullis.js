#!/usr/bin/env node
// Launcher. A published package ships dist/. In a checkout (src/ present) dist/ is rebuilt when
// any source file is newer than the last build, so `npx portcullis` works right after `npm ci`
// (install scripts are disabled, so nothing builds at install time).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.buildstamp');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

if (existsSync(join(root, 'src')) && existsSync(join(root, 'tsconfig.build.json'))) {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (newestMtime(join(root, 'src')) > built) {
    process.stderr.write('portcullis: building from source (first run or sources changed)…\n');
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.js')], { stdio: ['ignore', 2, 2] });
    if (r.status !== 0) {
      process.stderr.write('portcullis: build failed\n');
      process.exit(2);
    }
  }
}
const { main } = await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
process.exitCode = await main(process.argv);
