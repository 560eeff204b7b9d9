// `portcullis wrap CONFIG` — wiring and output only; the work is in src/wrap.
import type { Command } from '@commander-js/extra-typings';
import { undoWrap, type WrapReport, wrapConfig } from '../../wrap/index.js';
import type { SetExit } from './index.js';

function print(report: WrapReport, undo: boolean, dryRun: boolean): void {
  const out: string[] = [];
  const would = dryRun ? 'would be ' : '';
  for (const s of report.servers) {
    if (s.status === 'wrapped')
      out.push(`  ${s.name}: ${would}wrapped (policy ${s.policy}, audit ${s.audit})`);
    else if (s.status === 'already-wrapped') out.push(`  ${s.name}: already wrapped`);
    else if (s.status === 'unwrapped') out.push(`  ${s.name}: ${would}unwrapped`);
    else if (s.status === 'remote')
      out.push(`  ${s.name}: remote server (${s.url}) left as it is, not guarded: ${s.reason}`);
    else out.push(`  ${s.name}: skipped (${s.reason})`);
  }
  for (const p of report.createdPolicies) out.push(`created policy ${p}`);
  if (report.backup) out.push(`backup ${report.backup} (undo with: portcullis wrap --undo ${report.config})`);
  for (const n of report.notes) out.push(n);
  const verb = undo ? 'restored' : 'wrapped';
  const head = report.changed
    ? `${report.config}: ${dryRun ? `dry run, nothing written; would be ${verb}` : verb}`
    : `${report.config}: nothing to change`;
  process.stdout.write(`${[head, ...out].join('\n')}\n`);
}

export function registerWrap(program: Command, _setExit: SetExit): void {
  program
    .command('wrap')
    .description(
      "Route every stdio and Streamable HTTP MCP server of a client's config through `portcullis proxy` (a policy and an audit log per server); --undo restores it.",
    )
    .argument(
      '<config>',
      'the client config file (Claude Desktop, Claude Code, Cursor, VS Code, Windsurf, Zed, Continue, Gemini CLI)',
    )
    .option(
      '--policy-dir <dir>',
      'folder of the per-server policies (default: $XDG_CONFIG_HOME/portcullis/policies)',
    )
    .option(
      '--audit-dir <dir>',
      'folder of the per-server audit logs (default: $XDG_STATE_HOME/portcullis/audit)',
    )
    .option('--undo', 'restore the config: byte for byte when unchanged since wrap, else unwrap in place')
    .option('--dry-run', 'say what would change; write nothing')
    .action((config, opts) => {
      const dryRun = opts.dryRun === true;
      const report = opts.undo
        ? undoWrap(config, { dryRun })
        : wrapConfig(config, {
            dryRun,
            ...(opts.policyDir !== undefined ? { policyDir: opts.policyDir } : {}),
            ...(opts.auditDir !== undefined ? { auditDir: opts.auditDir } : {}),
          });
      print(report, opts.undo === true, dryRun);
    });
}
