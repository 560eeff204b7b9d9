// `portcullis audit show|verify FILE` — wiring and output only; the work is in src/audit.
import { type Command, Option } from '@commander-js/extra-typings';
import {
  type AuditVerifyResult,
  inert,
  readAuditEntries,
  renderEntryText,
  type TextStyle,
  verifyAuditLog,
} from '../../audit/index.js';
import { PortcullisError } from '../../core/errors.js';
import { loadPublicKey } from '../../pin/index.js';
import { makeStyle, useColor } from '../../report/style.js';
import type { SetExit } from './index.js';

function decisionStyle(color: boolean): TextStyle {
  const style = makeStyle(color);
  return {
    bold: style.bold,
    dim: style.dim,
    decision: (decision, text) =>
      decision === 'allow'
        ? style.ok(text)
        : decision === 'deny'
          ? style.severity('high', text)
          : decision === 'require-approval'
            ? style.severity('medium', text)
            : style.severity('low', text),
  };
}

async function requireFile(file: string): Promise<void> {
  const { stat } = await import('node:fs/promises');
  const st = await stat(file).catch(() => undefined);
  if (!st) throw new PortcullisError('INPUT_NOT_FOUND', 'audit log not found', { file });
  if (!st.isFile()) throw new PortcullisError('INPUT_INVALID', 'not a regular file', { file });
}

export function renderVerifyText(r: AuditVerifyResult): string {
  const out: string[] = [];
  const count = r.problems.length + r.omittedProblems;
  out.push(r.ok ? `${r.file}: intact` : `${r.file}: TAMPERED — ${count} problem${count === 1 ? '' : 's'}`);
  for (const p of r.problems) {
    const seq = p.seq !== undefined ? ` (seq ${p.seq})` : '';
    out.push(`  line ${p.line}${seq}: ${p.kind}: ${inert(p.message)}`);
  }
  if (r.omittedProblems > 0) out.push(`  … and ${r.omittedProblems} more`);
  const cp = r.lastCheckpoint;
  const proven = cp ? `; signed through line ${cp.line} (seq ${cp.seq}, key ${cp.keyId})` : '';
  out.push(
    `${r.records} records, ${r.checkpoints} checkpoints (${r.validCheckpoints} valid)${r.segments > 1 ? `, ${r.segments} chains` : ''}${proven}`,
  );
  for (const note of r.notes) out.push(`note: ${inert(note)}`);
  return `${out.join('\n')}\n`;
}

export function registerAudit(program: Command, setExit: SetExit): void {
  const audit = program.command('audit').description('Read and check a guard audit log.');

  audit
    .command('show')
    .description('Print the records of an audit log readably (use `audit verify` to check it).')
    .argument('<file>', 'audit log (JSONL)')
    .option('--session <id>', 'only records of this session (or id prefix)')
    .option(
      '--decision <decision>',
      'only records with this decision (allow, deny, require-approval, transform)',
    )
    .option('--tool <name>', 'only records for this tool (NAME or SERVER/NAME)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file, opts) => {
      await requireFile(file);
      const filter = {
        ...(opts.session !== undefined ? { session: opts.session } : {}),
        ...(opts.decision !== undefined ? { decision: opts.decision } : {}),
        ...(opts.tool !== undefined ? { tool: opts.tool } : {}),
      };
      const style = decisionStyle(useColor(process.stdout));
      let first = true;
      let unreadable = 0;
      if (opts.format === 'json') process.stdout.write('[');
      for await (const item of readAuditEntries(file, filter)) {
        if ('error' in item) {
          unreadable++;
          process.stderr.write(`${file}:${item.line}: unreadable record (${inert(item.error)})\n`);
          continue;
        }
        const chunk =
          opts.format === 'json'
            ? `${first ? '\n' : ',\n'}${JSON.stringify({ line: item.line, hash: item.hash, ...item.entry })}`
            : renderEntryText(item, style);
        first = false;
        // Respect back-pressure so a large log piped into `head` or `less` does not pile up in memory.
        if (!process.stdout.write(chunk))
          await new Promise((resolve) => process.stdout.once('drain', resolve));
      }
      if (opts.format === 'json') process.stdout.write(first ? ']\n' : '\n]\n');
      if (unreadable > 0)
        process.stderr.write(`${unreadable} unreadable line(s); run \`portcullis audit verify ${file}\`\n`);
    });

  audit
    .command('verify')
    .description('Check that an audit log was not edited, cut, reordered or extended; exit 1 if it was.')
    .argument('<file>', 'audit log (JSONL)')
    .option('--pub <key...>', 'trusted public key(s): checkpoints must be signed by one of them')
    .option('--require-closed', 'the log is finished: a missing closing checkpoint means its end was cut')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (file, opts) => {
      const trusted = opts.pub?.map((key) => loadPublicKey(key));
      await requireFile(file);
      const result = await verifyAuditLog(file, {
        ...(trusted ? { publicKey: trusted } : {}),
        requireClosed: opts.requireClosed ?? false,
      });
      process.stdout.write(
        opts.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderVerifyText(result),
      );
      if (!result.ok) setExit(1);
    });
}
