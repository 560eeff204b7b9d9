// Reports list every server with its launch line; they must not copy the config's secrets into CI
// logs or JSON files. Env and header values are masked unless they are references (`${input:x}`,
// `$NAME`, `%NAME%`); secrets inside arguments, URLs and commands are replaced by `[REDACTED:kind]`.

import { maskSecret, redactSecrets } from '../../text/secrets.js';

const SECRET_OPTION = /^--?[\w-]*(?:key|token|secret|password|passwd|pat|auth|credential)s?$/i;
const REFERENCE = /^(?:\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%)$/;

function maskValues(map: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!map) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    const value = REFERENCE.test(v.trim()) || v === '' ? v : maskSecret(v);
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A copy of a server entry (config entry or live target) safe to print. */
export function redactLaunch<
  T extends {
    command?: string;
    args?: string[];
    env?: Record<string, string>;
    url?: string;
    headers?: Record<string, string>;
  },
>(server: T): T {
  const copy: T = { ...server };
  if (server.command !== undefined) copy.command = redactSecrets(server.command);
  if (server.args) {
    copy.args = server.args.map((arg, i) => {
      const option = server.args![i - 1];
      // `--api-key VALUE`: the value of a secret-named option is masked whatever it looks like.
      if (option && SECRET_OPTION.test(option) && !arg.startsWith('-') && !REFERENCE.test(arg))
        return maskSecret(arg);
      return redactSecrets(arg);
    });
  }
  if (server.url !== undefined) copy.url = redactSecrets(server.url);
  const env = maskValues(server.env);
  if (env) copy.env = env;
  const headers = maskValues(server.headers);
  if (headers) copy.headers = headers;
  return copy;
}
