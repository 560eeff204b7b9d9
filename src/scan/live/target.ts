// What to inspect: a stdio command line, a Streamable HTTP URL, or a server entry of a client config.

import { PortcullisError } from '../../core/errors.js';
import { programName, splitShell } from '../configs/launch.js';
import { packagesRun } from '../configs/packages.js';
import type { ConfigServer } from '../configs/types.js';

export type InspectTarget =
  | {
      kind: 'stdio';
      name?: string;
      command: string;
      args?: string[];
      env?: Record<string, string>;
      cwd?: string;
    }
  | { kind: 'http' | 'sse'; name?: string; url: string; headers?: Record<string, string> };

/** A config entry as a target. */
export function targetFromConfig(server: ConfigServer): InspectTarget {
  if (server.command) {
    return {
      kind: 'stdio',
      name: server.name,
      command: server.command,
      ...(server.args ? { args: server.args } : {}),
      ...(server.env ? { env: server.env } : {}),
      ...(server.cwd ? { cwd: server.cwd } : {}),
    };
  }
  if (server.url) {
    const kind = server.transport === 'sse' ? 'sse' : 'http';
    return {
      kind,
      name: server.name,
      url: server.url,
      ...(server.headers ? { headers: server.headers } : {}),
    };
  }
  throw new PortcullisError('INPUT_INVALID', `server "${server.name}" has neither a command nor a URL`, {
    file: server.configFile,
    line: server.line,
  });
}

/**
 * `--connect` values: an http(s) URL, or a command line split like a shell would (quotes and
 * escapes; no expansion, no operators — a pipeline or `;` is refused rather than half-run).
 */
export function parseTarget(spec: string): InspectTarget {
  const text = spec.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      new URL(text);
    } catch {
      throw new PortcullisError('USAGE', `not a valid URL: ${text}`, { field: 'connect' });
    }
    return { kind: 'http', url: text };
  }
  const tokens = splitShell(text);
  const words: string[] = [];
  for (const t of tokens) {
    if ('op' in t) {
      throw new PortcullisError('USAGE', `a server command line cannot contain "${t.op}"; give one command`, {
        field: 'connect',
      });
    }
    words.push(t.word);
  }
  if (words.length === 0)
    throw new PortcullisError('USAGE', 'empty server command line', { field: 'connect' });
  return { kind: 'stdio', command: words[0]!, args: words.slice(1) };
}

/** A short name for a target: its own name, else the URL host, else the program. */
export function targetName(target: InspectTarget): string {
  if (target.name) return target.name;
  if (target.kind !== 'stdio') {
    try {
      return new URL(target.url).host;
    } catch {
      return target.url;
    }
  }
  // The package a runner fetches (`npx -y @scope/pkg@1.0` → `@scope/pkg@1.0`), else the script an
  // interpreter runs, else the program: short, stable, and recognisable in `live:<name>#tool` ids.
  const argv = [target.command, ...(target.args ?? [])];
  const pkg = packagesRun(argv).packages[0];
  if (pkg) return pkg.spec.slice(0, 120);
  const base = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  const script = argv.slice(1).find((a) => !a.startsWith('-'));
  const program = programName(target.command);
  if (script && /^(?:node|nodejs|python\d?|deno|bun|ruby|perl|php|tsx|ts-node|bash|sh)$/.test(program))
    return base(script).slice(0, 120);
  return base(target.command).slice(0, 120) || 'server';
}

/** The command line as it will be started, for the consent prompt. */
export function describeTarget(target: InspectTarget): string {
  if (target.kind !== 'stdio') return `connect to ${target.url}`;
  const quote = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);
  return `run ${[target.command, ...(target.args ?? [])].map(quote).join(' ')}${target.cwd ? ` (in ${target.cwd})` : ''}`;
}
