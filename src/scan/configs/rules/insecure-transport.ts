// Plain http:// to another machine: anyone on the path reads the tool traffic (arguments, results,
// any Authorization header) and can rewrite tool descriptions on the way in.

import { type ConfigRule, lineOfWord } from './types.js';

/** Loopback hosts: traffic that never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0.0.0.0' || h === '::')
    return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The host of a plain-text URL that leaves the machine, else undefined. */
export function insecureHost(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'ws:') return undefined;
  return isLoopbackHost(parsed.hostname) ? undefined : parsed.hostname;
}

export const configInsecureTransport: ConfigRule = {
  id: 'config-insecure-transport',
  meta: {
    severity: 'medium',
    description: 'A server is reached over plain http:// on a host other than this machine.',
    docs: 'docs/rules/config-insecure-transport.md',
    messages: {
      url: 'server "{{server}}" is reached over plain {{scheme}} at {{host}}: traffic can be read and tool descriptions rewritten on the way',
      withHeaders:
        'server "{{server}}" sends its headers ({{headers}}) over plain {{scheme}} to {{host}}: credentials travel in clear text',
      arg: 'server "{{server}}" is given the plain-text URL {{url}}: traffic to {{host}} can be read and rewritten on the way',
    },
  },
  check(ctx) {
    const { server } = ctx;
    if (server.url) {
      const host = insecureHost(server.url);
      if (host) {
        const scheme = server.url.trim().slice(0, server.url.trim().indexOf(':') + 3);
        const headers = Object.keys(server.headers ?? {});
        ctx.report({
          messageId: headers.length ? 'withHeaders' : 'url',
          data: { server: server.name, host, scheme, headers: headers.join(', ') },
          line: server.fieldLines.url ?? server.line,
          evidence: { detail: server.url },
        });
      }
    }
    // Bridges such as `npx mcp-remote http://host/mcp` carry the remote URL as an argument.
    for (const arg of server.args ?? []) {
      if (!/^(?:http|ws):\/\//i.test(arg)) continue;
      const host = insecureHost(arg);
      if (host) {
        ctx.report({
          messageId: 'arg',
          data: { server: server.name, url: arg, host },
          line: lineOfWord(server, arg),
          evidence: { detail: arg },
        });
      }
    }
  },
};
