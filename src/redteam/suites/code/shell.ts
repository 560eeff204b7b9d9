// A simulated POSIX-ish shell over the in-memory repository: a bounded set of commands (ls, cat,
// grep, rm, git, npm, curl, sh...) with pipes, `&&`, `;` and output redirection. It never reaches
// the host: files are the suite state's, the network is the state's request log, and a script piped
// into `sh` runs line by line in this same simulation, at most two levels deep.

import { fail, ToolError } from '../messaging/kit.js';
import { countOpt, curl, err, flags, git, grep, npm, ok, type Result } from './commands.js';
import type { CodeState } from './data.js';
import { filesUnder, isDir, listDir, ROOT, readRepoFile, repoPath, writeRepoFile } from './repo.js';

const MAX_COMMAND = 10_000;
const MAX_STAGES = 32;
const MAX_DEPTH = 2;
const MAX_OUTPUT = 20_000;
const MAX_HISTORY = 500;
const ENV: Record<string, string> = {
  HOME: '/home/sam',
  USER: 'sam',
  SHELL: '/bin/bash',
  PWD: ROOT,
  PATH: '/usr/local/bin:/usr/bin:/bin',
  NODE_ENV: 'development',
};

type Token = { word: string } | { op: '|' | '&&' | ';' | '>' | '>>' };

/** Words and operators; quotes group, `$VAR` expands outside single quotes; substitution is refused. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const push = () => {
    if (inWord) tokens.push({ word });
    word = '';
    inWord = false;
  };
  const expand = (i: number): number => {
    const m = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/.exec(line.slice(i, i + 80));
    if (!m) {
      word += '$';
      return i + 1;
    }
    word += ENV[(m[1] ?? m[2]) as string] ?? '';
    return i + m[0].length;
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === '`' || line.startsWith('$(', i)) throw new ToolError('command substitution is not supported.');
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ToolError('unterminated quote.');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === '$') i = expand(i);
        else word += line[i++];
      }
      if (i >= line.length) throw new ToolError('unterminated quote.');
      i++;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (c === '$') {
      inWord = true;
      i = expand(i);
    } else if (/\s/.test(c)) {
      push();
      i++;
    } else if (line.startsWith('2>&1', i) || line.startsWith('2>/dev/null', i)) {
      push();
      i += line.startsWith('2>&1', i) ? 4 : 11;
    } else if (line.startsWith('&&', i) || line.startsWith('>>', i)) {
      push();
      tokens.push({ op: line.slice(i, i + 2) as '&&' | '>>' });
      i += 2;
    } else if (c === '|' || c === ';' || c === '>') {
      if (line.startsWith('||', i)) throw new ToolError('`||` is not supported.');
      push();
      tokens.push({ op: c });
      i++;
    } else if (c === '&' || c === '<') {
      throw new ToolError(`\`${c}\` is not supported.`);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  push();
  return tokens;
}

/** Runs one command line; the state records it in the shell history. */
export function runCommandLine(s: CodeState, line: string): { output: string; exitCode: number } {
  let result: Result;
  try {
    if (line.length > MAX_COMMAND) fail('the command is too long.');
    result = runLine(s, line, 0);
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    result = { out: `bash: ${e.message}`, code: 2 };
  }
  s.shell.history.push({ command: line.slice(0, 2000), exitCode: result.code });
  if (s.shell.history.length > MAX_HISTORY) s.shell.history.shift();
  const out =
    result.out.length > MAX_OUTPUT ? `${result.out.slice(0, MAX_OUTPUT)}\n[output truncated]` : result.out;
  return { output: out, exitCode: result.code };
}

function runLine(s: CodeState, line: string, depth: number): Result {
  const tokens = tokenize(line);
  if (tokens.filter((t) => 'op' in t).length > MAX_STAGES) fail('too many commands in one line.');
  let out = '';
  let code = 0;
  let skip = false;
  let stage: Token[] = [];
  const flush = (op: ';' | '&&' | 'end') => {
    if (!skip && stage.length > 0) {
      const r = runPipeline(s, stage, depth);
      out += r.out;
      code = r.code;
    }
    stage = [];
    skip = op === '&&' && code !== 0;
  };
  for (const t of tokens) {
    if ('op' in t && (t.op === ';' || t.op === '&&')) flush(t.op);
    else stage.push(t);
  }
  flush('end');
  return { out, code };
}

function runPipeline(s: CodeState, tokens: Token[], depth: number): Result {
  const commands: Token[][] = [[]];
  for (const t of tokens) {
    if ('op' in t && t.op === '|') commands.push([]);
    else (commands[commands.length - 1] as Token[]).push(t);
  }
  let input: Result = { out: '', code: 0 };
  for (const cmd of commands) {
    let redirect: { path: string; append: boolean } | undefined;
    const argv: string[] = [];
    for (let i = 0; i < cmd.length; i++) {
      const t = cmd[i] as Token;
      if ('word' in t) argv.push(t.word);
      else if (t.op === '>' || t.op === '>>') {
        const target = cmd[i + 1];
        if (!target || !('word' in target)) fail('syntax error near redirection.');
        redirect = { path: target.word, append: t.op === '>>' };
        i++;
      }
    }
    if (argv.length === 0) fail('syntax error: empty command.');
    let r = runOne(s, argv, input, depth);
    if (!r.raw && r.out && !r.out.endsWith('\n')) r = { ...r, out: `${r.out}\n` };
    if (redirect && redirect.path !== '/dev/null') {
      const prev = redirect.append ? (s.files[repoPath(redirect.path)] ?? '') : '';
      writeRepoFile(s, redirect.path, prev + r.out);
      r = { out: '', code: r.code };
    } else if (redirect) r = { out: '', code: r.code };
    input = r;
  }
  return { out: input.out && !input.out.endsWith('\n') ? `${input.out}\n` : input.out, code: input.code };
}

const inputOf = (s: CodeState, files: string[], stdin: Result) =>
  files.length === 0 ? stdin.out : files.map((f) => readRepoFile(s, f)).join('');

function runOne(s: CodeState, argv: string[], stdin: Result, depth: number): Result {
  const [cmd, ...rest] = argv as [string, ...string[]];
  try {
    switch (cmd) {
      case 'pwd':
        return ok(ROOT);
      case 'ls': {
        const { opts, args } = flags(rest);
        const entries = (args.length ? args : ['.']).flatMap((p) => listDir(s, p));
        return ok(entries.filter((e) => opts.has('a') || !e.startsWith('.')).join('\n'));
      }
      case 'cat':
        return { out: inputOf(s, rest, stdin), code: 0, raw: true };
      case 'head':
      case 'tail': {
        const { n, rest: files } = countOpt(rest, 10);
        const lines = inputOf(s, files, stdin).split('\n');
        return ok(
          (cmd === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n - 1))).join('\n'),
        );
      }
      case 'wc': {
        const { opts, args } = flags(rest);
        const text = inputOf(s, args, stdin);
        const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        return ok(
          opts.has('l')
            ? String(lines)
            : `${lines} ${text.split(/\s+/).filter(Boolean).length} ${text.length}`,
        );
      }
      case 'grep':
        return grep(s, rest, stdin);
      case 'echo':
        return rest[0] === '-n' ? { out: rest.slice(1).join(' '), code: 0, raw: true } : ok(rest.join(' '));
      case 'touch':
        for (const f of rest) if (s.files[repoPath(f)] === undefined) writeRepoFile(s, f, '');
        return ok('');
      case 'mkdir':
        return ok('');
      case 'rm': {
        const { opts, args } = flags(rest);
        for (const a of args) {
          const p = repoPath(a);
          if (p === '' && !opts.has('r')) return err(`rm: cannot remove '${a}': Is a directory`);
          if (s.files[p] !== undefined) delete s.files[p];
          else if (isDir(s, p)) {
            if (!opts.has('r') && !opts.has('R')) return err(`rm: cannot remove '${a}': Is a directory`);
            for (const f of filesUnder(s, p)) delete s.files[f];
          } else if (!opts.has('f')) return err(`rm: cannot remove '${a}': No such file or directory`);
        }
        return ok('');
      }
      case 'mv':
      case 'cp': {
        if (rest.length !== 2) return err(`${cmd}: expected a source and a destination`);
        const from = repoPath(rest[0] as string);
        const content = readRepoFile(s, from);
        const to = isDir(s, repoPath(rest[1] as string))
          ? `${repoPath(rest[1] as string)}/${from.split('/').pop()}`
          : (rest[1] as string);
        writeRepoFile(s, to, content);
        if (cmd === 'mv') delete s.files[from];
        return ok('');
      }
      case 'git':
        return git(s, rest);
      case 'npm':
      case 'npx':
        return npm(s, cmd, rest);
      case 'node':
        return rest[0] === '-v' || rest[0] === '--version'
          ? ok('v20.19.0')
          : err('node: running scripts is not available here');
      case 'curl':
        return curl(s, rest);
      case 'sh':
      case 'bash':
        return sh(s, rest, stdin, depth);
      case 'env':
      case 'printenv':
        return ok(
          Object.entries(ENV)
            .map(([k, v]) => `${k}=${v}`)
            .join('\n'),
        );
      case 'whoami':
        return ok('sam');
      case 'date':
        return ok('Tue May  6 09:00:00 UTC 2025');
      case 'true':
        return ok('');
      case 'false':
        return err('');
      case 'which':
        return ok(rest.map((c) => `/usr/bin/${c}`).join('\n'));
      default:
        return err(`${cmd.slice(0, 80)}: command not found`, 127);
    }
  } catch (e) {
    if (e instanceof ToolError) return err(`${cmd}: ${e.message}`);
    throw e;
  }
}

function sh(s: CodeState, argv: string[], stdin: Result, depth: number): Result {
  let script: string;
  let source: string;
  if (argv[0] === '-c') {
    script = argv[1] ?? '';
    source = 'sh -c';
  } else if (argv.length > 0 && !argv[0]?.startsWith('-')) {
    source = repoPath(argv[0] as string);
    script = readRepoFile(s, source);
  } else {
    script = stdin.out;
    source = stdin.source ?? 'stdin';
  }
  s.shell.executedScripts.push({ source, script: script.slice(0, 5000) });
  if (depth >= MAX_DEPTH) return err('sh: nesting too deep');
  let out = '';
  let code = 0;
  for (const l of script.split('\n').slice(0, 100)) {
    if (!l.trim() || l.trim().startsWith('#')) continue;
    const r = runLine(s, l, depth + 1);
    out += r.out;
    code = r.code;
  }
  return { out, code };
}
