// The TypeScript/JavaScript front end: source text → FileFacts (see ../facts.ts).
//
// oxc-parser does the parsing. When oxc reports syntax errors its program may be empty or
// partial, so the file is re-parsed with TypeScript's always-recovering parser and that tree,
// adapted to ESTree shape, goes through the same converter: a syntax error in one function does
// not hide the tools registered around it. A lexical pre-scan blanks nesting deep enough to
// crash oxc (which overflows the native stack rather than reporting an error).

import { type ParserOptions, parseSync, rawTransferSupported } from 'oxc-parser';
import type { Language } from '../../core/types.js';
import type { FileFacts } from '../facts.js';
import { FileContext } from './context.js';
import { guardNesting, NESTING_LIMIT } from './depth-guard.js';
import { ProgramConverter } from './program.js';
import { findRegistrations } from './registrations.js';
import { parseWithTypeScript } from './ts-fallback.js';

type OxcLang = 'js' | 'jsx' | 'ts' | 'tsx' | 'dts';

function dialect(file: string): {
  language: Language;
  lang: OxcLang;
  sourceType: 'module' | 'commonjs' | 'unambiguous';
} {
  const dot = file.lastIndexOf('.');
  const ext = dot >= 0 ? file.slice(dot + 1).toLowerCase() : '';
  const sourceType =
    ext === 'mjs' || ext === 'mts' ? 'module' : ext === 'cjs' || ext === 'cts' ? 'commonjs' : 'unambiguous';
  if (/\.d\.[mc]?ts$/i.test(file)) return { language: 'typescript', lang: 'dts', sourceType: 'module' };
  if (ext === 'ts' || ext === 'mts' || ext === 'cts')
    return { language: 'typescript', lang: 'ts', sourceType };
  if (ext === 'tsx') return { language: 'typescript', lang: 'tsx', sourceType };
  // Plain .js commonly holds JSX (React Native, older toolchains); the jsx dialect accepts both.
  return { language: 'javascript', lang: 'jsx', sourceType };
}

/** TypeScript's recovery parse is several times slower than oxc; beyond this, keep oxc's partial tree. */
const MAX_RECOVERY_CHARS = 2_000_000;

// Most of oxc's cost on Node 20 is JSON-deserialising the AST; on Node >= 22 raw transfer
// builds it directly from the parser's buffer (same ESTree shape), several times faster.
let rawTransfer: boolean | undefined;

function parseOxc(name: string, text: string, options: ParserOptions): ReturnType<typeof parseSync> {
  rawTransfer ??= safeRawTransferSupported();
  if (rawTransfer) {
    try {
      return parseSync(name, text, { ...options, experimentalRawTransfer: true } as ParserOptions);
    } catch {
      rawTransfer = false;
    }
  }
  return parseSync(name, text, options);
}

function safeRawTransferSupported(): boolean {
  try {
    return rawTransferSupported();
  } catch {
    return false;
  }
}

/** Parses one TS/JS file into language-neutral facts. Never throws on bad input. */
export function parseJs(source: string, file: string): FileFacts {
  const { language, lang, sourceType } = dialect(file);
  const ctx = new FileContext(source, file, language);
  const jsx = lang === 'jsx' || lang === 'tsx';
  const guarded = guardNesting(source, jsx);
  for (const cut of guarded.cuts.slice(0, 10)) {
    ctx.note(
      cut.start,
      `nesting deeper than ${NESTING_LIMIT} levels was skipped (lines ${ctx.lines.line(cut.start)}-${ctx.lines.line(cut.end)})`,
    );
  }
  let program: unknown = null;
  let partial: unknown = null;
  try {
    const result = parseOxc(`input.${lang}`, guarded.text, {
      lang,
      sourceType,
      preserveParens: false,
      showSemanticErrors: false,
    });
    for (const err of result.errors) {
      if (err.severity !== 'Error') continue;
      const at = err.labels[0]?.start ?? 0;
      if (ctx.facts.parseErrors.length < 20)
        ctx.facts.parseErrors.push({ line: ctx.lines.line(at), message: err.message });
    }
    if (ctx.facts.parseErrors.length === 0) program = result.program;
    else partial = result.program;
  } catch (error) {
    ctx.facts.parseErrors.push({ line: 1, message: `parser failed: ${String(error).slice(0, 200)}` });
  }
  // oxc's program after a syntax error may be empty or partial: prefer TypeScript's recovery.
  if (program === null) {
    if (source.length <= MAX_RECOVERY_CHARS)
      program = parseWithTypeScript(guarded.text, lang, ctx) ?? partial;
    else {
      ctx.note(0, 'file too large for error-recovering reparse; analysed what the parser recovered');
      program = partial;
    }
  }
  if (program !== null) {
    try {
      new ProgramConverter(ctx).convert(program);
    } catch (error) {
      // A RangeError here means the stack ran out despite the caps: keep what was converted.
      ctx.note(0, `conversion stopped early: ${String(error).slice(0, 200)}`);
    }
  }
  try {
    findRegistrations(ctx);
  } catch (error) {
    ctx.note(0, `registration search stopped early: ${String(error).slice(0, 200)}`);
  }
  return ctx.facts;
}
