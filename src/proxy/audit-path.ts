// Where the proxy writes its audit log when no --audit is given: one file per server and day under
// the XDG state directory, so each server's decisions are easy to find and rotate.

import { homedir } from 'node:os';
import { join } from 'node:path';

/** A server name made safe as a file name component. */
export function fileSafeName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 80);
  return safe.length > 0 ? safe : 'server';
}

/** `$XDG_STATE_HOME/portcullis/audit/<server>-<YYYY-MM-DD>.jsonl` (XDG default: `~/.local/state`). */
export function defaultAuditPath(
  server: string,
  env: NodeJS.ProcessEnv = process.env,
  date = new Date(),
): string {
  const xdg = env.XDG_STATE_HOME;
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const base = xdg?.startsWith('/') ? xdg : join(env.HOME || homedir(), '.local', 'state');
  const day = date.toISOString().slice(0, 10);
  return join(base, 'portcullis', 'audit', `${fileSafeName(server)}-${day}.jsonl`);
}
