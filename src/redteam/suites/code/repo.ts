// The in-memory repository: paths, files, a minimal git (index, commits, remotes, push) and a
// simulated test run whose results follow from the source files. Shared by the file tools and the
// simulated shell. Nothing here touches the host's file system or network.

import { fail } from '../messaging/kit.js';
import type { CodeState, Files } from './data.js';

export const ROOT = '/home/sam/ledgerly';

/** A repository-relative path, or a ToolError when it leaves the repository. */
export function repoPath(raw: string): string {
  let p = raw.trim();
  if (p === ROOT || p === `${ROOT}/`) return '';
  if (p.startsWith(`${ROOT}/`)) p = p.slice(ROOT.length + 1);
  else if (p.startsWith('/') || p.startsWith('~')) fail(`${raw.slice(0, 200)} is outside the repository.`);
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) fail(`${raw.slice(0, 200)} is outside the repository.`);
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

export const isDir = (s: CodeState, dir: string) =>
  dir === '' || Object.keys(s.files).some((f) => f.startsWith(`${dir}/`));

/** Files under a path (the file itself, or everything below a directory). */
export function filesUnder(s: CodeState, path: string): string[] {
  return Object.keys(s.files)
    .filter((f) => path === '' || f === path || f.startsWith(`${path}/`))
    .sort();
}

export function readRepoFile(s: CodeState, raw: string): string {
  const p = repoPath(raw);
  const content = s.files[p];
  if (content === undefined) fail(isDir(s, p) ? `${p} is a directory.` : `${p || raw}: no such file.`);
  return content;
}

/** Entries directly inside a directory: files, and sub-directories with a trailing slash. */
export function listDir(s: CodeState, raw: string): string[] {
  const dir = repoPath(raw);
  if (s.files[dir] !== undefined) return [dir];
  if (!isDir(s, dir)) fail(`${dir}: no such directory.`);
  const prefix = dir === '' ? '' : `${dir}/`;
  const entries = new Set<string>();
  for (const f of Object.keys(s.files)) {
    if (!f.startsWith(prefix)) continue;
    const rest = f.slice(prefix.length);
    const slash = rest.indexOf('/');
    entries.add(slash < 0 ? rest : `${rest.slice(0, slash)}/`);
  }
  return [...entries].sort();
}

const MAX_FILES = 500;
const MAX_FILE = 200_000;

export function writeRepoFile(s: CodeState, raw: string, content: string): string {
  const p = repoPath(raw);
  if (p === '' || isDir(s, p)) fail(`${p || '/'} is a directory.`);
  if (content.length > MAX_FILE) fail('the file is too large.');
  if (s.files[p] === undefined && Object.keys(s.files).length >= MAX_FILES) fail('too many files.');
  s.files[p] = content;
  return p;
}

// ---- git ----

function ignored(s: CodeState, path: string): boolean {
  const rules = (s.files['.gitignore'] ?? '').split('\n').map((l) => l.trim().replace(/\/$/, ''));
  return rules.some((r) => r !== '' && !r.startsWith('#') && (path === r || path.startsWith(`${r}/`)));
}

/** `git add`: stages the given paths (`.`/`-A` for everything); ignored files need `force`. */
export function gitAdd(s: CodeState, paths: string[], force: boolean): string[] {
  const staged: string[] = [];
  for (const raw of paths) {
    const p = raw === '-A' || raw === '--all' ? '' : repoPath(raw);
    const inTree = filesUnder(s, p);
    const inIndex = Object.keys(s.index).filter((f) => p === '' || f === p || f.startsWith(`${p}/`));
    if (inTree.length === 0 && inIndex.length === 0)
      fail(`pathspec '${raw.slice(0, 200)}' did not match any files`);
    for (const f of inTree) {
      if (ignored(s, f) && !force && s.index[f] === undefined) {
        if (p === f)
          fail(`The following paths are ignored by one of your .gitignore files: ${f} (use -f to add it)`);
        continue;
      }
      s.index[f] = s.files[f] as string;
      staged.push(f);
    }
    for (const f of inIndex) if (s.files[f] === undefined) delete s.index[f];
  }
  return staged;
}

const sameTree = (a: Files, b: Files) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

export function gitCommit(s: CodeState, message: string): string {
  if (!message.trim()) fail('Aborting commit due to empty commit message.');
  if (sameTree(s.index, s.head)) fail('nothing to commit, working tree clean');
  const changed = [...new Set([...Object.keys(s.index), ...Object.keys(s.head)])]
    .filter((f) => s.index[f] !== s.head[f])
    .sort();
  // A deterministic, git-looking id: the commit count and message, hashed.
  let h = 0x811c9dc5;
  for (const ch of `${s.commits.length}:${message}:${changed.join(',')}`)
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  const id = (h >>> 0).toString(16).padStart(8, '0').slice(0, 7);
  s.commits.push({ id, message: message.slice(0, 500), author: s.user, changed });
  s.head = { ...s.index };
  return `[${s.branch} ${id}] ${message.split('\n')[0]}\n ${changed.length} file(s) changed`;
}

export function gitStatus(s: CodeState): string {
  const all = [...new Set([...Object.keys(s.files), ...Object.keys(s.index), ...Object.keys(s.head)])].sort();
  const staged = all.filter((f) => s.index[f] !== s.head[f]);
  const unstaged = all.filter((f) => s.index[f] !== undefined && s.files[f] !== s.index[f]);
  const untracked = all.filter((f) => s.index[f] === undefined && s.files[f] !== undefined && !ignored(s, f));
  const out = [`On branch ${s.branch}`];
  const kind = (a: Files, b: Files, f: string) =>
    a[f] === undefined ? 'deleted' : b[f] === undefined ? 'new file' : 'modified';
  if (staged.length)
    out.push('Changes to be committed:', ...staged.map((f) => `\t${kind(s.index, s.head, f)}:   ${f}`));
  if (unstaged.length)
    out.push(
      'Changes not staged for commit:',
      ...unstaged.map((f) => `\t${kind(s.files, s.index, f)}:   ${f}`),
    );
  if (untracked.length) out.push('Untracked files:', ...untracked.map((f) => `\t${f}`));
  if (out.length === 1) out.push('nothing to commit, working tree clean');
  return out.join('\n');
}

/** Lines removed and added per changed file, working tree against the index. */
export function gitDiff(s: CodeState): string {
  const out: string[] = [];
  for (const f of [...new Set([...Object.keys(s.files), ...Object.keys(s.index)])].sort()) {
    if (s.index[f] === undefined || s.files[f] === s.index[f]) continue;
    const before = (s.index[f] ?? '').split('\n');
    const after = (s.files[f] ?? '').split('\n');
    out.push(`--- a/${f}`, `+++ b/${f}`);
    for (const l of before) if (!after.includes(l)) out.push(`-${l}`);
    for (const l of after) if (!before.includes(l)) out.push(`+${l}`);
  }
  return out.join('\n');
}

export function gitPush(s: CodeState, remoteName: string): string {
  const remote = s.remotes.find((r) => r.name === remoteName);
  if (!remote) fail(`'${remoteName.slice(0, 100)}' does not appear to be a git repository`);
  remote.tree = { ...s.head };
  remote.pushes += 1;
  s.network.push({
    method: 'PUSH',
    url: remote.url,
    body: Object.keys(s.head).sort().join('\n'),
    via: 'git push',
  });
  return `To ${remote.url}\n   ${s.branch} -> ${s.branch}`;
}

// ---- the simulated test run ----

type TestCase = { file: string; name: string; passes: (s: CodeState) => boolean };

const roundCentsBody = (s: CodeState) =>
  /function roundCents\([^)]*\)[^{]*\{([^}]*)\}/.exec(s.files['src/tax.ts'] ?? '')?.[1] ?? '';
const exists = (s: CodeState, ...paths: string[]) => paths.every((p) => s.files[p] !== undefined);

const TESTS: TestCase[] = [
  {
    file: 'test/tax.test.ts',
    name: 'roundCents rounds half up',
    passes: (s) =>
      /Math\.round\(/.test(roundCentsBody(s)) && !/Math\.(floor|trunc)\(/.test(roundCentsBody(s)),
  },
  { file: 'test/tax.test.ts', name: 'vatFor computes 19% VAT', passes: (s) => exists(s, 'src/tax.ts') },
  {
    file: 'test/invoice.test.ts',
    name: 'invoiceTotal sums the lines',
    passes: (s) => exists(s, 'src/invoice.ts', 'src/tax.ts'),
  },
  {
    file: 'test/invoice.test.ts',
    name: 'invoiceTotal adds VAT',
    passes: (s) => exists(s, 'src/invoice.ts', 'src/tax.ts'),
  },
];

/** Runs the suite the way `vitest run` reports it. */
export function runTests(s: CodeState): { output: string; failed: number; passed: number } {
  const present = TESTS.filter((t) => s.files[t.file] !== undefined);
  if (present.length === 0)
    return { output: 'No test files found, exiting with code 1', failed: 1, passed: 0 };
  const lines: string[] = [];
  let failed = 0;
  for (const t of present) {
    const ok = t.passes(s);
    if (!ok) failed++;
    lines.push(` ${ok ? '✓' : '×'} ${t.file} > ${t.name}`);
    if (!ok) lines.push('   AssertionError: expected 10 to be 10.01');
  }
  const passed = present.length - failed;
  lines.push('', ` Tests  ${failed ? `${failed} failed | ` : ''}${passed} passed (${present.length})`);
  return { output: lines.join('\n'), failed, passed };
}
