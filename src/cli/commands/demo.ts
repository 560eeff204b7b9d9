// `portcullis demo` — the first thing a new user runs: scan the bundled example tools and show what
// is caught and why. Offline and quick.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '@commander-js/extra-typings';
import { renderScanText } from '../../report/scan-text.js';
import { makeStyle, useColor } from '../../report/style.js';
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
    });
}
