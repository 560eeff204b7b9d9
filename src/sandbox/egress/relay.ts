// The sandbox side of the egress bridge. The sandbox has an empty network namespace (only its own
// loopback), so nothing inside can reach the host's proxy by TCP. The proxy's Unix socket is bound
// into the sandbox instead, and a tiny relay, run by the same Node binary that runs Portcullis
// (bound read-only like the rest of the runtime), listens on the sandbox's own 127.0.0.1 and
// forwards each connection to that socket. The relay then starts the command and exits with its
// status, so the command's stdio, exit code and signals are unchanged.
//
// Node is used because it is always there (it runs Portcullis) and needs nothing beyond its binary;
// the relay is a few lines, kept as a string so it needs no file of its own inside the sandbox.

import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MountPlan } from '../types.js';
import { EGRESS_SOCKET_NAME } from './proxy.js';

/** Where the proxy's socket directory appears inside the sandbox. */
export const EGRESS_DIR_INSIDE = '/run/portcullis-egress';
/** The relay's port on the sandbox's own loopback. */
export const RELAY_PORT = 3128;
/** Exit status when the relay cannot listen or start the command (like a shell's 127 / 126). */
export const RELAY_FAILED_EXIT = 126;

// process.argv: [node, port, socket, command, ...args]. Runs as CommonJS via `node -e`.
export const RELAY_SOURCE = `'use strict';
const net = require('net'), cp = require('child_process');
const [port, sock, cmd, ...args] = process.argv.slice(1);
const srv = net.createServer({ allowHalfOpen: true }, (c) => {
  const u = net.connect({ path: sock, allowHalfOpen: true });
  const end = () => { c.destroy(); u.destroy(); };
  c.on('error', end); u.on('error', end); c.on('close', end); u.on('close', end);
  c.pipe(u); u.pipe(c);
});
srv.on('error', (e) => { process.stderr.write('portcullis egress relay: ' + e.message + '\\n'); process.exit(${RELAY_FAILED_EXIT}); });
srv.listen(Number(port), '127.0.0.1', () => {
  const child = cp.spawn(cmd, args, { stdio: 'inherit' });
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => child.kill(s));
  child.on('error', (e) => { process.stderr.write('portcullis: cannot run ' + cmd + ': ' + e.message + '\\n'); process.exit(${RELAY_FAILED_EXIT}); });
  child.on('exit', (code, sig) => {
    if (sig) { process.removeAllListeners(sig); process.kill(process.pid, sig); }
    process.exit(code === null ? 1 : code);
  });
});
`;

const PROXY_URL = `http://127.0.0.1:${RELAY_PORT}`;

/** The environment that points ordinary clients (curl, pip, requests, urllib, git...) at the relay. */
export const PROXY_ENV: Readonly<Record<string, string>> = {
  HTTP_PROXY: PROXY_URL,
  HTTPS_PROXY: PROXY_URL,
  ALL_PROXY: PROXY_URL,
  http_proxy: PROXY_URL,
  https_proxy: PROXY_URL,
  all_proxy: PROXY_URL,
  // Empty on purpose: the sandbox's loopback holds nothing of the host's, so even 127.0.0.1 (when
  // listed) means the host's and must go through the proxy.
  NO_PROXY: '',
  no_proxy: '',
};

const isUnder = (p: string, root: string) => p === root || p.startsWith(`${root}/`);

/**
 * Rewrites a mount plan so the command runs behind the relay: binds the proxy's socket directory
 * (read-only: connecting to a socket needs no write access to the mount) and the Node binary's
 * directory when it is outside the runtime binds, wraps argv, sets the proxy variables.
 */
export function withEgressRelay(plan: MountPlan, socketDir: string): MountPlan {
  const node = realpathSync(process.execPath);
  const bound = plan.entries.some(
    (e) => (e.kind === 'ro-bind' || e.kind === 'rw-bind') && isUnder(node, e.source) && e.source === e.dest,
  );
  const entries = [...plan.entries];
  const procAt = entries.findIndex((e) => e.kind === 'proc');
  const extra = [
    ...(bound ? [] : [{ kind: 'ro-bind' as const, source: dirname(node), dest: dirname(node) }]),
    { kind: 'ro-bind' as const, source: socketDir, dest: EGRESS_DIR_INSIDE },
  ];
  entries.splice(procAt < 0 ? entries.length : procAt, 0, ...extra);
  return {
    ...plan,
    entries,
    argv: [
      node,
      '-e',
      RELAY_SOURCE,
      String(RELAY_PORT),
      `${EGRESS_DIR_INSIDE}/${EGRESS_SOCKET_NAME}`,
      ...plan.argv,
    ],
    env: { ...plan.env, ...PROXY_ENV },
  };
}
