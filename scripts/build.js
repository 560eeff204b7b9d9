#!/usr/bin/env node
// Compiles src/ to dist/ with tsc and stamps the build, so bin/portcullis.js can tell a stale dist.
// Builds into a private folder and swaps it in, so concurrent builds (parallel test workers,
// a developer's shell) never see a half-written dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const out = join(root, `.dist-${process.pid}`);
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], {
  stdio: 'inherit',
});
// Type errors are reported (and fail `npm run lint`), but tsc still emits; only a missing entry point fails the build.
if (!existsSync(join(out, 'cli', 'main.js'))) {
  rmSync(out, { recursive: true, force: true });
  process.exit(r.status || 1);
}
writeFileSync(join(out, '.buildstamp'), `${Date.now()}\n`);
const dist = join(root, 'dist');
// Move the old dist/ aside in one step (a recursive delete races with readers and other builds),
// then swap ours in; the old tree is removed afterwards, when nobody can start using it.
const old = join(root, `.dist-old-${process.pid}`);
try {
  renameSync(dist, old);
} catch {
  // No dist/ yet, or another build moved it first.
}
try {
  renameSync(out, dist);
} catch {
  // Another build swapped in an equivalent dist/ between our two renames.
  rmSync(out, { recursive: true, force: true });
}
rmSync(old, { recursive: true, force: true });
