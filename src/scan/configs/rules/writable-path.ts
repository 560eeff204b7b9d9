// A server whose code lives in a temp folder or Downloads (or any folder others can write) can be
// replaced or pre-planted by another user or by any program that drops files there; the client
// then runs it with the user's rights at every start.

import { statSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { programName, type SimpleCommand } from '../launch.js';
import { packagesRun } from '../packages.js';
import { type ConfigRule, lineOfWord } from './types.js';

/** Why a path is in a writable place, from its spelling alone; undefined when it is not. */
export function writablePrefix(path: string): string | undefined {
  const p = path.replace(/\\/g, '/').toLowerCase();
  const under = (dir: string): boolean => p === dir || p.startsWith(`${dir}/`);
  for (const dir of ['/tmp', '/var/tmp', '/dev/shm', '/private/tmp', '/private/var/tmp', '/usr/tmp']) {
    if (under(dir)) return `${dir} is writable by every user`;
  }
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable as written in configs
  for (const v of ['$tmpdir', '${tmpdir}', '%temp%', '%tmp%', '$env:temp', '$env:tmp']) {
    if (under(v)) return 'the temp folder is writable by other programs';
  }
  if (/^[a-z]:\/(?:windows\/temp|temp|tmp)(?:\/|$)/.test(p))
    return 'this temp folder is writable by every user';
  if (/(?:^|\/)appdata\/local\/temp(?:\/|$)/.test(p)) return 'the temp folder is writable by other programs';
  if (/(?:^|\/)downloads(?:\/|$)/.test(p)) return 'Downloads holds files fetched from anywhere';
  return undefined;
}

/** A folder on the path (or the file) that others may write, checked on the real file system. */
export function worldWritableOnDisk(path: string): string | undefined {
  if (process.platform === 'win32' || !isAbsolute(path)) return undefined;
  let current = path;
  for (let i = 0; i < 64; i++) {
    try {
      const st = statSync(current);
      if ((st.mode & 0o002) !== 0) return `${current} is writable by every user`;
    } catch {
      // Not there (yet): nothing to say about it.
    }
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return undefined;
}

const INTERPRETERS = new Set([
  'node',
  'nodejs',
  'python',
  'python3',
  'python2',
  'deno',
  'bun',
  'ruby',
  'perl',
  'php',
  'bash',
  'sh',
  'zsh',
  'tsx',
  'ts-node',
  'pwsh',
  'powershell',
]);
/** Interpreter options whose value is another code file. */
const CODE_VALUE_OPTS = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-File',
  '-file',
]);
/** Interpreter options that take a value that is not code. */
const OTHER_VALUE_OPTS = new Set(['-W', '-X', '--title', '--env-file', '--inspect-port', '--config']);

/** Paths whose content runs when this command starts. */
function codePaths(cmd: SimpleCommand): string[] {
  const argv = cmd.argv;
  const name = programName(argv[0] ?? '');
  const out: string[] = [];
  if (/[\\/]/.test(argv[0] ?? '')) out.push(argv[0]!);
  for (const l of packagesRun(argv).local) out.push(l.path);
  if (INTERPRETERS.has(name)) {
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-m' || a === '-c' || a === '-e' || a === '--eval' || a === '-Command') break; // a module or inline code
      if (CODE_VALUE_OPTS.has(a)) {
        if (argv[i + 1]) out.push(argv[++i]!);
      } else if (OTHER_VALUE_OPTS.has(a)) i++;
      else if (!a.startsWith('-')) {
        out.push(a);
        break;
      }
    }
  } else if (name === 'java') {
    const at = argv.indexOf('-jar');
    if (at > 0 && argv[at + 1]) out.push(argv[at + 1]!);
  } else if (name === 'uv') {
    // `uv --directory DIR run …` runs the project in DIR.
    for (let i = 1; i < argv.length; i++) {
      const m = /^--(?:directory|project)(?:=(.*))?$/.exec(argv[i]!);
      if (m) out.push(m[1] ?? argv[++i] ?? '');
    }
    const at = argv.indexOf('run');
    const script = argv.slice(at + 1).find((a) => !a.startsWith('-'));
    if (at > 0 && script && /\.(?:py|pyw)$/i.test(script)) out.push(script);
  }
  return out;
}

export const configWritablePath: ConfigRule = {
  id: 'config-writable-path',
  meta: {
    severity: 'medium',
    description:
      'A server runs code from, or starts in, a temp folder, Downloads or another folder others can write.',
    docs: 'docs/rules/config-writable-path.md',
    messages: {
      code: 'server "{{server}}" runs {{path}}: {{why}}, so what runs can be swapped',
      cwd: 'server "{{server}}" starts in {{path}}: {{why}}, and launchers resolve code from the working folder first',
    },
  },
  check(ctx) {
    const { server } = ctx;
    const why = (p: string): string | undefined => writablePrefix(p) ?? ctx.worldWritable?.(p);
    const seen = new Set<string>();
    for (const cmd of ctx.launch.commands) {
      for (const path of codePaths(cmd)) {
        const reason = seen.has(path) ? undefined : why(path);
        seen.add(path);
        if (reason) {
          ctx.report({
            messageId: 'code',
            data: { server: server.name, path, why: reason },
            line: lineOfWord(server, path),
            evidence: { detail: path },
          });
        }
      }
    }
    if (server.cwd) {
      const reason = why(server.cwd);
      if (reason) {
        ctx.report({
          messageId: 'cwd',
          data: { server: server.name, path: server.cwd, why: reason },
          line: server.fieldLines.cwd ?? server.line,
          evidence: { detail: server.cwd },
        });
      }
    }
  },
};
