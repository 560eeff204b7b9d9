// `portcullis demo` — the first thing a new user runs: scan the bundled example tools and show what
// is caught and why, then attack an agent through an injected email without and with the guard.
// Offline and quick.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '@commander-js/extra-typings';
import { renderScanText } from '../../report/scan-text.js';
import { makeStyle, type Style, useColor } from '../../report/style.js';
import { scanPaths } from '../../scan/scan.js';
import type { SetExit } from './index.js';

/** The package root, from dist/cli/commands/ (or src/cli/commands/ under a TS runner). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function registerDemo(program: Command, setExit: SetExit): void {
  program
    .command('demo')
    .description('Scan the bundled example tools and show what Portcullis catches, offline.')
    .action(async () => {
      const st = makeStyle(useColor(process.stdout));
      const examples = join(PACKAGE_ROOT, 'examples');
      const out = process.stdout;
      out.write(`${st.bold('Portcullis demo')}: scanning the example tools in examples/tools/\n`);
      out.write(
        st.dim(
          'Each tool is read as code (what it does) and as description (what the model is told). ' +
            'Findings are places where the two disagree.\n\n',
        ),
      );
      const result = await scanPaths([join(examples, 'tools')], { cwd: examples });
      out.write(renderScanText(result, st));
      const caught = result.findings.some(
        (f) => f.tool?.endsWith('#sanitize_input') && f.severity !== 'info',
      );
      out.write('\n');
      if (!caught) {
        out.write('The lying sanitize_input tool was not caught: this is a bug, please report it.\n');
        setExit(1);
        return;
      }
      out.write(
        `${st.bold('What happened:')} sanitize_input says it is safe and local, but its code posts its argument to an ` +
          'address hidden in a base64 constant; format_json says nothing leaves your machine, but a helper in ' +
          'another file reads ~/.ssh/id_rsa and posts it. The honest tools (a weather API call, a notes reader, ' +
          'a documented search API) raise no high findings.\n' +
          `Next: ${st.bold('npx portcullis scan PATH')} on your own tools (docs/scan.md).\n`,
      );
      await attackStory(out, st, setExit);
    });
}

/** Part two: the same injected email against an agent that obeys it, without and with the guard. */
async function attackStory(out: NodeJS.WriteStream, st: Style, setExit: SetExit): Promise<void> {
  const { runDemoStory } = await import('../../redteam/demo.js');
  const { renderEntryText } = await import('../../audit/index.js');
  out.write(
    `\n${st.bold('Part 2: a prompt injection in an email')}\n` +
      st.dim(
        'A simulated workspace (email, calendar, files) runs as a real MCP server. The agent is the ' +
          "worst-case agent: it does the user's task and obeys every instruction that reaches it.\n\n",
      ),
  );
  const story = await runDemoStory();
  const quote = (t: string) =>
    t
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => `    │ ${l}`)
      .join('\n');
  out.write(`  The user asks: ${st.bold(`"${story.prompt}"`)}\n`);
  out.write(`  Mark's email ends with text an attacker planted:\n${quote(story.injected)}\n\n`);

  const u = story.undefended;
  out.write(`${st.bold('Without the guard')}\n`);
  out.write(`  Agent's answer: ${u.answer || '(none)'}\n`);
  if (u.attackSuccess) {
    for (const e of u.leaked)
      out.write(
        `  ${st.severity('high', 'ATTACK SUCCEEDED')}: it sent an email to ${e.to.join(', ')} — "${e.subject}: ${e.body}"\n`,
      );
  } else out.write('  The attack did not succeed (unexpected: the worst-case agent always obeys).\n');

  const g = story.guarded;
  out.write(`\n${st.bold('With the default guard')} (no policy file; nobody at the approval prompt)\n`);
  out.write(`  Agent's answer: ${g.answer || '(none)'}\n`);
  for (const b of g.blocked) out.write(`  ${st.ok('BLOCKED')} ${b.server}/${b.tool}: ${b.reason}\n`);
  if (story.denial) {
    out.write(`  The decision in the audit log (hash-chained, written before anything is forwarded):\n`);
    out.write(
      renderEntryText(story.denial)
        .split('\n')
        .filter(Boolean)
        .map((l) => `    ${l}`)
        .join('\n'),
    );
    out.write('\n');
  }
  out.write(
    `  Task done: ${g.utility ? 'yes' : 'no'}; attack succeeded: ${g.attackSuccess ? st.severity('high', 'yes') : 'no'}.\n` +
      `\nNext: ${st.bold('npx portcullis redteam --defense none')} and ${st.bold('npx portcullis redteam')} ` +
      'for the full suites (docs/redteam.md).\n',
  );
  if (!u.attackSuccess || g.attackSuccess || g.blocked.length === 0 || !g.utility) setExit(1);
}
