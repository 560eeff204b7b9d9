// A credential written into the config itself — an env value, an argument, a header, a URL — is
// readable by every process and backup that can read the file, is copied along when configs are
// shared, and often ends up in a repository. The detectors are the text layer's (src/text/secrets).

import { findSecrets } from '../../../text/secrets.js';
import type { SecretFinding } from '../../../text/types.js';
import type { ConfigServer } from '../types.js';
import type { ConfigRule, ConfigRuleContext } from './types.js';

/** Provider formats and key=value pairs (a secret-like name and a credential-like value) are two signals. */
function severityOf(f: SecretFinding): 'high' | 'medium' {
  return f.confidence === 'high' || f.kind === 'assignment' ? 'high' : 'medium';
}

interface Place {
  /** Where it is, for the message: `env.GITHUB_TOKEN`, `args[3]`, `headers.Authorization`, `url`. */
  field: string;
  /** The text the detectors read (for env and headers, `NAME=value` so names count as context). */
  text: string;
  line: number;
}

function places(server: ConfigServer): Place[] {
  const out: Place[] = [];
  const lineOf = (key: string): number => server.fieldLines[key] ?? server.line;
  for (const [name, value] of Object.entries(server.env ?? {})) {
    out.push({ field: `env.${name}`, text: `${name}=${value}`, line: lineOf(`env.${name}`) });
  }
  for (const [name, value] of Object.entries(server.headers ?? {})) {
    out.push({ field: `headers.${name}`, text: `${name}: ${value}`, line: lineOf(`headers.${name}`) });
  }
  const args = server.args ?? [];
  args.forEach((arg, i) => {
    // `--api-key VALUE`: read the option name and its value together.
    const prev = args[i - 1];
    const text =
      prev?.startsWith('-') && !prev.includes('=') && !arg.startsWith('-')
        ? `${prev.replace(/^-+/, '')}=${arg}`
        : arg;
    out.push({ field: `args[${i}]`, text, line: lineOf(`args[${i}]`) });
  });
  if (server.command) out.push({ field: 'command', text: server.command, line: lineOf('command') });
  if (server.url) out.push({ field: 'url', text: server.url, line: lineOf('url') });
  return out;
}

function check(ctx: ConfigRuleContext): void {
  const { server } = ctx;
  for (const place of places(server)) {
    const found = findSecrets(place.text);
    // The most specific finding per place is enough; one place, one report.
    const best = found.find((f) => severityOf(f) === 'high') ?? found[0];
    if (!best) continue;
    ctx.report({
      messageId: 'inline',
      severity: severityOf(best),
      data: { server: server.name, kind: best.kind, field: place.field },
      line: place.line,
      evidence: { detail: `${place.field}: ${best.masked}` },
    });
  }
}

export const configInlineSecret: ConfigRule = {
  id: 'config-inline-secret',
  meta: {
    severity: 'high',
    description: 'A credential is written inline in a server entry (env, args, headers or URL).',
    docs: 'docs/rules/config-inline-secret.md',
    messages: {
      inline:
        'server "{{server}}" has a {{kind}} written inline in {{field}}: anyone who can read this file has it',
    },
  },
  check,
};
