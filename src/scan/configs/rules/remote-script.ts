// A launch line that downloads code and runs it in the same breath (`curl … | sh`,
// `bash -c "$(curl …)"`, `irm … | iex`): the server is whatever that URL returns at each start,
// with no integrity check and no version.

import { programName, type SimpleCommand } from '../launch.js';
import { type ConfigRule, lineOfWord, shownCommand } from './types.js';

const DOWNLOADERS = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'http',
  'https',
  'xh',
  'iwr',
  'irm',
  'invoke-webrequest',
  'invoke-restmethod',
]);
const RUNNERS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'fish',
  'ash',
  'source',
  '.',
  'python',
  'python3',
  'python2',
  'node',
  'perl',
  'ruby',
  'php',
  'deno',
  'bun',
  'iex',
  'invoke-expression',
  'pwsh',
  'powershell',
]);
const CODE_FLAGS = new Set(['-c', '-e', '--eval', '-command', '-p', '--print']);
const CODE_RUNNERS = new Set(['python', 'python3', 'node', 'deno', 'bun', 'perl', 'ruby']);

/** The downloader named right after a `$(`, `<(` or backtick in `text`, if any. */
function substitutedDownload(text: string): string | undefined {
  const lower = text.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i];
    let j: number;
    if ((c === '$' || c === '<') && lower[i + 1] === '(') j = i + 2;
    else if (c === '`') j = i + 1;
    else continue;
    while (lower[j] === ' ' || lower[j] === '\t') j++;
    let k = j;
    while (k < lower.length && /[a-z0-9_.\\/-]/.test(lower[k]!)) k++;
    const word = lower.slice(j, k);
    if (DOWNLOADERS.has(programName(word))) return word;
  }
  return undefined;
}

/** PowerShell's `iex (New-Object Net.WebClient).DownloadString(url)` and `iex (iwr url)`. */
function powershellDownloadExec(text: string): boolean {
  const lower = text.toLowerCase();
  const runs = /\b(?:iex|invoke-expression)\b/.test(lower);
  return (
    runs &&
    /\b(?:downloadstring|downloadfile|iwr|irm|invoke-webrequest|invoke-restmethod|curl|wget)\b/.test(lower)
  );
}

/** `node -e "fetch(u).then(r => r.text()).then(eval)"`, `python -c "exec(urlopen(u).read())"`. */
function inlineFetchEval(cmd: SimpleCommand): string | undefined {
  if (!CODE_RUNNERS.has(programName(cmd.argv[0] ?? ''))) return undefined;
  const at = cmd.argv.findIndex((a) => CODE_FLAGS.has(a));
  const code = at > 0 ? cmd.argv[at + 1] : undefined;
  if (!code) return undefined;
  const fetches =
    /\b(?:urlopen|urlretrieve|requests\.get|httpx\.get|fetch\s*\(|https?\.get\s*\(|LWP::Simple|open-uri|URI\.open)/.test(
      code,
    );
  const runs = /\b(?:exec|eval|Function|compile|import)\s*\(|\.then\(\s*eval\s*\)/.test(code);
  return fetches && runs ? code : undefined;
}

export const configRemoteScript: ConfigRule = {
  id: 'config-remote-script',
  meta: {
    severity: 'high',
    description: 'A launch line downloads a script and runs it (curl | sh and its relatives).',
    docs: 'docs/rules/config-remote-script.md',
    messages: {
      piped:
        'server "{{server}}" pipes a download ({{downloader}}) into {{runner}}: it runs whatever that URL serves, unverified',
      substituted:
        'server "{{server}}" runs the output of {{downloader}} as shell code: it runs whatever that URL serves, unverified',
      inlineCode: 'server "{{server}}" fetches code over the network and evaluates it inline',
    },
  },
  check(ctx) {
    const { server, launch } = ctx;
    let reported = false;
    for (const cmd of launch.commands) {
      const from = cmd.pipedFrom;
      const runner = programName(cmd.argv[0] ?? '');
      if (from && RUNNERS.has(runner) && DOWNLOADERS.has(programName(from.argv[0] ?? ''))) {
        const downloader = programName(from.argv[0]!);
        ctx.report({
          messageId: 'piped',
          data: { server: server.name, downloader, runner },
          line: lineOfWord(server, from.argv[0]!),
          evidence: { detail: shownCommand([...from.argv, '|', ...cmd.argv]) },
        });
        reported = true;
      }
      // `bash <(curl …)`, `source <(wget -O- …)`: the download is the script argument.
      const substituted = RUNNERS.has(runner) ? substitutedDownload(cmd.argv.slice(1).join(' ')) : undefined;
      if (substituted && !from) {
        ctx.report({
          messageId: 'substituted',
          data: { server: server.name, downloader: programName(substituted) },
          line: lineOfWord(server, substituted),
          evidence: { detail: shownCommand(cmd.argv) },
        });
        reported = true;
      }
      const code = inlineFetchEval(cmd);
      if (code) {
        ctx.report({
          messageId: 'inlineCode',
          data: { server: server.name },
          line: lineOfWord(server, code),
          evidence: { detail: shownCommand([code]) },
        });
        reported = true;
      }
    }
    if (reported) return;
    for (const text of launch.shellTexts) {
      const downloader =
        substitutedDownload(text) ?? (powershellDownloadExec(text) ? 'a web request' : undefined);
      if (downloader) {
        ctx.report({
          messageId: 'substituted',
          data: { server: server.name, downloader },
          line: lineOfWord(server, text),
          evidence: { detail: shownCommand([text]) },
        });
        return;
      }
    }
  },
};
