// Reads a server's launch line the way a shell would: unwraps `cmd /c`, `sh -c "..."`, `env X=1`,
// `wsl bash -lc`, splits shell strings into pipelines of simple commands. The rules then look at
// plain argv arrays and never at raw strings. Everything here is a single linear pass with caps.

import type { ConfigServer } from './types.js';

/** One simple command: its words, and whether its input comes from the previous command's output. */
export interface SimpleCommand {
  argv: string[];
  /** `a | b`: b is piped from a. */
  pipedFrom?: SimpleCommand;
  /** The text a shell was asked to run, when this command came from one (`sh -c TEXT`). */
  shellText?: string;
}

export interface LaunchLine {
  commands: SimpleCommand[];
  /** Every text handed to a shell interpreter (`sh -c`, `cmd /c`, `powershell -Command`). */
  shellTexts: string[];
}

const MAX_TOKENS = 4096;
const MAX_UNWRAP_DEPTH = 16;

/** `C:\\tools\\NPX.CMD` → `npx`: the program's bare name, lower case, without a Windows extension. */
export function programName(command: string): string {
  const slash = Math.max(command.lastIndexOf('/'), command.lastIndexOf('\\'));
  return command
    .slice(slash + 1)
    .toLowerCase()
    .replace(/\.(?:exe|cmd|bat|ps1|com)$/, '');
}

const POSIX_SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'ash', 'busybox']);
const POWERSHELLS = new Set(['powershell', 'pwsh']);

type Token = { word: string } | { op: '|' | '||' | '&&' | ';' | '&' };

/**
 * POSIX-ish word splitting: quotes, backslash escapes and the control operators `| || && ; &`.
 * `$(...)`, backticks and `<(...)` stay inside their word (the rules look for them in the text).
 */
export function splitShell(text: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  let paren = 0;
  let last = '';
  const flush = (): void => {
    if (inWord) tokens.push({ word });
    word = '';
    last = '';
    inWord = false;
  };
  for (let i = 0; i < text.length && tokens.length < MAX_TOKENS; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
      continue;
    }
    // Inside $( ... ) or <( ... ) everything belongs to the word. (The last character is tracked
    // rather than read back from `word`: reading a string being built flattens it every time.)
    if (c === '(' && (last === '$' || last === '<' || paren > 0)) paren++;
    else if (c === ')' && paren > 0) paren--;
    if (paren === 0) {
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        flush();
        continue;
      }
      if (c === '|' || c === '&' || c === ';') {
        flush();
        const two = text.slice(i, i + 2);
        if (two === '||' || two === '&&') {
          tokens.push({ op: two });
          i++;
        } else tokens.push({ op: c as '|' | '&' | ';' });
        continue;
      }
    }
    word += c;
    last = c;
    inWord = true;
  }
  flush();
  return tokens;
}

/** Drops `env`, `VAR=value` prefixes and `call`/`start` so argv[0] is the program that runs. */
function stripPrefixes(argv: string[]): string[] {
  let i = 0;
  while (i < argv.length) {
    const w = argv[i]!;
    const name = programName(w);
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else if (name === 'env' || name === 'call' || name === 'exec' || name === 'nohup' || name === 'sudo') {
      i++;
      while (i < argv.length && argv[i]!.startsWith('-')) i++;
    } else break;
  }
  return argv.slice(i);
}

interface Unwrapped {
  /** The shell text and the interpreter that runs it. */
  shell?: { text: string; kind: 'posix' | 'cmd' | 'powershell' };
  /** A plain argv that replaces the wrapper (`wsl npx ...`, `cmd /c npx ...` with several words). */
  argv?: string[];
}

/** If argv runs a shell or a wrapper, what it runs. */
function unwrap(argv: string[]): Unwrapped | undefined {
  const name = programName(argv[0] ?? '');
  if (POSIX_SHELLS.has(name)) {
    // sh -c TEXT, bash -lc TEXT, bash -e -c TEXT
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) {
        return i + 1 < argv.length ? { shell: { text: argv[i + 1]!, kind: 'posix' } } : undefined;
      }
      if (!a.startsWith('-')) return undefined; // a script file
    }
    return undefined;
  }
  if (name === 'cmd') {
    const at = argv.findIndex((a, i) => i > 0 && /^\/[ck]$/i.test(a));
    if (at < 0 || at + 1 >= argv.length) return undefined;
    const rest = argv.slice(at + 1);
    return rest.length === 1 ? { shell: { text: rest[0]!, kind: 'cmd' } } : { argv: rest };
  }
  if (POWERSHELLS.has(name)) {
    const at = argv.findIndex((a, i) => i > 0 && /^-(?:c|command|encodedcommand|ec|e)$/i.test(a));
    if (at < 0 || at + 1 >= argv.length) return undefined;
    if (/^-(?:encodedcommand|ec|e)$/i.test(argv[at]!)) {
      // -EncodedCommand takes base64 UTF-16LE.
      try {
        return {
          shell: { text: Buffer.from(argv[at + 1]!, 'base64').toString('utf16le'), kind: 'powershell' },
        };
      } catch {
        return undefined;
      }
    }
    return { shell: { text: argv.slice(at + 1).join(' '), kind: 'powershell' } };
  }
  if (name === 'wsl') {
    let i = 1;
    while (i < argv.length && argv[i]!.startsWith('-')) {
      // wsl -d Ubuntu -u root -- cmd ...
      if (argv[i] === '--') {
        i++;
        break;
      }
      i += /^(?:-d|--distribution|-u|--user|--cd)$/.test(argv[i]!) ? 2 : 1;
    }
    return i < argv.length ? { argv: argv.slice(i) } : undefined;
  }
  return undefined;
}

function commandsFromShellText(text: string, depth: number, out: LaunchLine): void {
  out.shellTexts.push(text);
  let current: string[] = [];
  let previous: SimpleCommand | undefined;
  let piped = false;
  const finish = (): void => {
    if (current.length) {
      const cmd: SimpleCommand = { argv: current, shellText: text };
      if (piped && previous) cmd.pipedFrom = previous;
      previous = addCommand(cmd, depth + 1, out) ?? cmd;
    }
    current = [];
  };
  for (const t of splitShell(text)) {
    if ('word' in t) current.push(t.word);
    else {
      finish();
      piped = t.op === '|';
      if (!piped) previous = undefined;
    }
  }
  finish();
}

/** Adds the command (prefixes stripped) and whatever it wraps; returns the command as added. */
function addCommand(cmd: SimpleCommand, depth: number, out: LaunchLine): SimpleCommand | undefined {
  const argv = stripPrefixes(cmd.argv);
  if (argv.length === 0) return undefined;
  const resolved: SimpleCommand = { ...cmd, argv };
  out.commands.push(resolved);
  if (depth >= MAX_UNWRAP_DEPTH) return resolved;
  const inner = unwrap(argv);
  if (inner?.shell) commandsFromShellText(inner.shell.text, depth, out);
  else if (inner?.argv)
    addCommand({ argv: inner.argv, ...(cmd.shellText ? { shellText: cmd.shellText } : {}) }, depth + 1, out);
  return resolved;
}

/** The commands a stdio server's launch line runs, wrappers unwrapped. Empty for URL servers. */
export function readLaunchLine(server: Pick<ConfigServer, 'command' | 'args'>): LaunchLine {
  const out: LaunchLine = { commands: [], shellTexts: [] };
  if (!server.command) return out;
  const args = server.args ?? [];
  // A command with spaces and no args is a whole command line in one string (some clients allow it).
  const pathWithSpaces = /^(?:[A-Za-z]:)?[\\/].*\.(?:exe|cmd|bat|com)$/i.test(server.command);
  if (args.length === 0 && /\s/.test(server.command.trim()) && !pathWithSpaces) {
    commandsFromShellText(server.command, 0, out);
    return out;
  }
  addCommand({ argv: [server.command, ...args] }, 0, out);
  return out;
}
