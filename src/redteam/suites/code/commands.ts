// The simulated shell's larger commands (grep, git, npm, curl) and the helpers they share with the
// shell proper. All of them act on the suite state only: files, the git model, the request log.

import { fail } from '../messaging/kit.js';
import type { CodeState } from './data.js';
import {
  filesUnder,
  gitAdd,
  gitCommit,
  gitDiff,
  gitPush,
  gitStatus,
  readRepoFile,
  repoPath,
  runTests,
  writeRepoFile,
} from './repo.js';

/** `raw`: the output is exact bytes (cat, echo -n, curl); other outputs end with a newline. */
export type Result = { out: string; code: number; source?: string; raw?: boolean };

export const ok = (out: string): Result => ({ out, code: 0 });
export const err = (out: string, code = 1): Result => ({ out, code });

export function flags(argv: string[]): { opts: Set<string>; args: string[] } {
  const opts = new Set<string>();
  const args: string[] = [];
  for (const a of argv) {
    if (/^-[A-Za-z]+$/.test(a)) for (const ch of a.slice(1)) opts.add(ch);
    else args.push(a);
  }
  return { opts, args };
}

export function countOpt(argv: string[], dflt: number): { n: number; rest: string[] } {
  const rest: string[] = [];
  let n = dflt;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-n') n = Number(argv[++i]);
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else rest.push(a);
  }
  if (!Number.isInteger(n) || n < 0) fail('invalid line count.');
  return { n, rest };
}

export function grep(s: CodeState, argv: string[], stdin: Result): Result {
  const { opts, args } = flags(argv);
  if (opts.has('E') || opts.has('P')) return err('grep: only fixed-string patterns are supported here');
  const [pattern, ...paths] = args;
  if (pattern === undefined) return err('usage: grep [-rniv] PATTERN [FILE...]');
  const needle = opts.has('i') ? pattern.toLowerCase() : pattern;
  const hit = (l: string) => (opts.has('i') ? l.toLowerCase() : l).includes(needle) !== opts.has('v');
  const out: string[] = [];
  if (paths.length === 0 && !opts.has('r')) {
    stdin.out.split('\n').forEach((l, i) => {
      if (hit(l)) out.push(opts.has('n') ? `${i + 1}:${l}` : l);
    });
  } else {
    const files = (paths.length ? paths : ['.']).flatMap((p) =>
      opts.has('r') ? filesUnder(s, repoPath(p)) : [repoPath(p)],
    );
    for (const f of files) {
      readRepoFile(s, f)
        .split('\n')
        .forEach((l, i) => {
          if (hit(l))
            out.push(
              `${files.length > 1 || opts.has('r') ? `${f}:` : ''}${opts.has('n') ? `${i + 1}:` : ''}${l}`,
            );
        });
    }
  }
  return out.length ? ok(out.join('\n')) : err('');
}

export function git(s: CodeState, argv: string[]): Result {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'status':
      return ok(gitStatus(s));
    case 'diff':
      return ok(gitDiff(s));
    case 'add': {
      const { opts, args } = flags(rest);
      if (args.length === 0 && !opts.has('A')) return err('Nothing specified, nothing added.');
      gitAdd(s, opts.has('A') ? ['-A', ...args] : args, opts.has('f'));
      return ok('');
    }
    case 'commit': {
      let message = '';
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '-m' || rest[i] === '--message') message = rest[++i] ?? '';
        else if (rest[i] === '-a' || rest[i] === '-am') {
          gitAdd(s, Object.keys(s.index), false);
          if (rest[i] === '-am') message = rest[++i] ?? '';
        }
      }
      if (!message) return err('error: a commit message is required (-m)');
      return ok(gitCommit(s, message));
    }
    case 'log':
      return ok(
        [...s.commits]
          .reverse()
          .map((c) => `${c.id} ${c.message.split('\n')[0]}`)
          .join('\n'),
      );
    case 'push': {
      const remote = rest.find((a) => !a.startsWith('-')) ?? 'origin';
      return ok(gitPush(s, remote));
    }
    case 'remote': {
      if (rest[0] === 'add') {
        const [name, url] = [rest[1], rest[2]];
        if (!name || !url) return err('usage: git remote add <name> <url>');
        if (s.remotes.some((r) => r.name === name)) return err(`error: remote ${name} already exists.`);
        s.remotes.push({ name, url, tree: {}, pushes: 0 });
        return ok('');
      }
      return ok(
        s.remotes.map((r) => (rest.includes('-v') ? `${r.name}\t${r.url} (push)` : r.name)).join('\n'),
      );
    }
    case 'branch':
      return ok(`* ${s.branch}`);
    case 'checkout':
      if (rest[0] === '-b' && rest[1]) {
        s.branch = rest[1].slice(0, 100);
        return ok(`Switched to a new branch '${s.branch}'`);
      }
      return err('git checkout: only `-b NAME` is supported here');
    default:
      return err(`git: '${String(sub).slice(0, 40)}' is not supported here`);
  }
}

export function npm(s: CodeState, cmd: string, argv: string[]): Result {
  const line = argv.join(' ');
  if (/^(test|t|run test)$/.test(line) || (cmd === 'npx' && /^vitest( run)?$/.test(line))) {
    const r = runTests(s);
    return { out: r.output, code: r.failed > 0 ? 1 : 0 };
  }
  if (cmd === 'npm' && (argv[0] === 'install' || argv[0] === 'i' || argv[0] === 'ci')) {
    const pkgs = argv.slice(1).filter((a) => !a.startsWith('-'));
    for (const p of pkgs)
      s.network.push({
        method: 'GET',
        url: `https://registry.npmjs.example/${p}`,
        body: '',
        via: 'npm install',
      });
    if (pkgs.length > 0) {
      let manifest: Record<string, Record<string, string>>;
      try {
        manifest = JSON.parse(s.files['package.json'] ?? '{}');
      } catch {
        return err('npm error: package.json is not valid JSON');
      }
      manifest.dependencies = {
        ...(manifest.dependencies ?? {}),
        ...Object.fromEntries(pkgs.map((p) => [p, '*'])),
      };
      s.files['package.json'] = `${JSON.stringify(manifest, null, 2)}\n`;
    }
    return ok(`added ${pkgs.length || 42} packages in 2s`);
  }
  if (line === 'run lint') return ok(`Checked ${Object.keys(s.files).length} files. No fixes applied.`);
  return err(`${cmd} ${line.slice(0, 80)}: not supported here`);
}

export function curl(s: CodeState, argv: string[]): Result {
  let method = '';
  let body = '';
  let url = '';
  let output: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-X' || a === '--request') method = (argv[++i] ?? '').toUpperCase();
    else if (a === '-d' || a === '--data' || a === '--data-binary' || a === '--data-raw') {
      const v = argv[++i] ?? '';
      body += v.startsWith('@') && a !== '--data-raw' ? readRepoFile(s, v.slice(1)) : v;
    } else if (a === '-H' || a === '--header') i++;
    else if (a === '-o' || a === '--output') output = argv[++i];
    else if (!a.startsWith('-')) url = a;
  }
  if (!url) return err('curl: no URL specified!', 2);
  method ||= body ? 'POST' : 'GET';
  const key = url.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  s.network.push({ method, url, body, via: 'curl' });
  const page = method === 'GET' ? s.web[key] : undefined;
  const text = page ?? (method === 'GET' ? '' : '{"ok":true}');
  if (method === 'GET' && page === undefined)
    return err('curl: (22) The requested URL returned error: 404', 22);
  if (output) {
    writeRepoFile(s, output, text);
    return { out: '', code: 0, source: url };
  }
  return { out: text, code: 0, source: url, raw: true };
}
