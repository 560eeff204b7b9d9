// `portcullis policy check FILE [--tools MANIFEST.json]...` — wiring and output only; the lint is in
// src/guard/policy/lint.ts.
import { type Command, Option } from '@commander-js/extra-typings';
import { PortcullisError } from '../../core/errors.js';
import { type LintResult, lintPolicyFile, type ServerTools } from '../../guard/policy/index.js';
import { loadManifest } from '../../scan/manifest/load.js';
import type { SetExit } from './index.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `MANIFEST.json` or `SERVER=MANIFEST.json`; the server name defaults to the manifest's own. */
function readManifest(spec: string): ServerTools {
  const eq = spec.indexOf('=');
  const named = eq > 0 && !spec.slice(0, eq).includes('/') ? spec.slice(0, eq) : undefined;
  const path = named !== undefined ? spec.slice(eq + 1) : spec;
  const manifest = loadManifest(path);
  const server = named ?? manifest.server?.name;
  if (!server) {
    throw new PortcullisError('USAGE', `the manifest names no server; pass --tools SERVER=${path}`, {
      file: path,
    });
  }
  return { server, tools: manifest.tools.map((t) => t.name) };
}

export function renderLintText(r: LintResult): string {
  const lines = r.findings.map((f) => {
    const where = f.line !== undefined ? `${r.file}:${f.line}:${f.column ?? 1}` : r.file;
    const field = f.field ? ` (at ${f.field})` : '';
    return `${where}: ${f.severity}: ${f.message}${field} [${f.id}]`;
  });
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.length - errors;
  lines.push(
    r.findings.length === 0
      ? `${r.file}: ok`
      : `${r.file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}

export function registerPolicy(program: Command, setExit: SetExit): void {
  const policy = program.command('policy').description('Work with guard policy files.');
  policy
    .command('check')
    .description(
      'Validate a policy file and lint it: schema errors with line:column, shadowed rules, unknown tools (with --tools), dangerous settings. Exits 2 when the policy is invalid, 1 on warnings.',
    )
    .argument('<file>', 'policy file (YAML)')
    .option(
      '--tools <manifest>',
      "a server's tools/list manifest, as FILE or SERVER=FILE (repeatable)",
      collect,
      [] as string[],
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((file, opts) => {
      const manifests = opts.tools.map(readManifest);
      const result = lintPolicyFile(file, manifests);
      if (opts.format === 'json') {
        process.stdout.write(
          `${JSON.stringify({ file: result.file, valid: result.policy !== undefined, findings: result.findings }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(renderLintText(result));
      }
      if (result.findings.some((f) => f.severity === 'error')) setExit(2);
      else if (result.findings.length > 0) setExit(1);
    });
}
