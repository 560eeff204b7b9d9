// `portcullis detect [FILE|-]` — wiring only; the detectors are in src/text.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Command, Option } from '@commander-js/extra-typings';
import { PortcullisError } from '../../core/errors.js';
import { scanText, type TextScan } from '../../text/index.js';
import type { SetExit } from './index.js';

interface DetectOptions {
  jsonl?: boolean;
  field: string;
  format: 'text' | 'json';
  threshold?: number;
}

function checkReadable(file: string): void {
  if (file === '-') return;
  if (!existsSync(file)) throw new PortcullisError('INPUT_NOT_FOUND', 'no such file', { file });
  if (statSync(file).isDirectory())
    throw new PortcullisError('INPUT_INVALID', 'is a directory, expected a text file', { file });
}

function readAll(file: string): string {
  if (file !== '-') return readFileSync(file, 'utf8');
  return readFileSync(0, 'utf8');
}

/** The JSON shape of one result (also one JSONL output line, plus `line`). */
function toJson(scan: TextScan): Record<string, unknown> {
  return {
    verdict: scan.injection.verdict,
    score: scan.injection.score,
    signals: scan.injection.signals,
    hidden: scan.hidden.map(({ kind, start, end, detail }) => ({ kind, start, end, detail })),
    secrets: scan.secrets,
    encoded: scan.encoded.map((e) => ({
      encoding: e.encoding,
      start: e.start,
      end: e.end,
      depth: e.depth,
      verdict: e.injection.verdict,
      score: e.injection.score,
      decoded: e.decoded.slice(0, 200),
    })),
  };
}

/** One line, with invisible and control characters shown as \u{…} so the terminal shows what is there. */
function oneLine(s: string, max = 100): string {
  const flat = s
    .replace(/\s+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function renderText(scan: TextScan, source: string): string {
  const { verdict, score, signals } = scan.injection;
  const lines = [`${source}: ${verdict} (score ${score.toFixed(2)})`];
  for (const s of signals) {
    const lang = s.language ? ` [${s.language}]` : '';
    const discount = s.discount ? ` (${s.discount})` : '';
    lines.push(
      `  ${s.start}-${s.end}  ${s.id}${lang} ${s.weight.toFixed(2)}${discount}: ${oneLine(s.excerpt)}`,
    );
  }
  for (const h of scan.hidden) lines.push(`  ${h.start}-${h.end}  hidden: ${h.detail}`);
  for (const k of scan.secrets)
    lines.push(`  ${k.start}-${k.end}  secret ${k.kind} (${k.confidence}): ${k.masked}`);
  return `${lines.join('\n')}\n`;
}

/** Reads a dotted field path (`a.b.c`) from a parsed JSON value. */
function fieldOf(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

async function detectJsonl(file: string, opts: DetectOptions, setExit: SetExit): Promise<void> {
  const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let badLines = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let out: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      const text = fieldOf(parsed, opts.field);
      if (typeof text !== 'string') {
        badLines++;
        out = { line: lineNo, error: `field "${opts.field}" is missing or not a string` };
      } else {
        const scan = scanText(text, opts.threshold === undefined ? {} : { threshold: opts.threshold });
        const id = fieldOf(parsed, 'id');
        out = {
          line: lineNo,
          ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}),
          ...toJson(scan),
        };
        if (scan.injection.verdict === 'injection') setExit(1);
      }
    } catch (err) {
      badLines++;
      out = { line: lineNo, error: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
  if (badLines > 0) {
    process.stderr.write(
      `portcullis: ${file === '-' ? 'stdin' : file}: ${badLines} line(s) could not be read\n`,
    );
    setExit(2);
  }
}

export function registerDetect(program: Command, setExit: SetExit): void {
  program
    .command('detect')
    .description(
      'Run the text detectors (prompt injection, hidden content, secrets, encoded payloads) on a text or on each line of a JSONL file. Exit 0 clean, 1 injection found, 2 input error.',
    )
    .argument('[file]', 'text file to read, or - for stdin', '-')
    .option('--jsonl', 'treat the input as JSON Lines: one result line per input line, in order')
    .option('--field <name>', 'with --jsonl: the (dotted) field holding the text', 'text')
    .addOption(
      new Option('--format <format>', 'output format for a single text')
        .choices(['text', 'json'] as const)
        .default('text' as const),
    )
    .option('--threshold <score>', 'score at or above which the verdict is injection (default 0.5)', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0 || n > 1)
        throw new PortcullisError('USAGE', `--threshold must be a number in (0, 1], got "${v}"`);
      return n;
    })
    .action(async (file, opts) => {
      const options = opts as DetectOptions;
      checkReadable(file);
      if (file === '-' && process.stdin.isTTY) {
        throw new PortcullisError('USAGE', 'no input: give a FILE or pipe text to stdin (use - for stdin)');
      }
      if (options.jsonl) {
        await detectJsonl(file, options, setExit);
        return;
      }
      const scan = scanText(
        readAll(file),
        options.threshold === undefined ? {} : { threshold: options.threshold },
      );
      if (options.format === 'json')
        process.stdout.write(`${JSON.stringify({ version: 1, ...toJson(scan) }, null, 2)}\n`);
      else process.stdout.write(renderText(scan, file === '-' ? 'stdin' : file));
      if (scan.injection.verdict === 'injection') setExit(1);
    });
}
