// Demand-driven analysis. Tool effects can only come from code a tool can reach: the file that
// registers it and what that file imports, transitively. Real packages ship large bundles (UI
// runtimes, vendored third-party code) that no tool imports; parsing them costs most of a scan and
// cannot change a finding. So the pipeline parses files that may register tools, then follows
// their relative imports, and leaves the rest unparsed (counted in the coverage report).
import type { SourceKind } from './walk.js';

/**
 * May this file register a tool? Deliberately wider than every shape the front ends recognise (a
 * file they could read a registration from always passes), and cheap: one linear regex test.
 */
const JS_HINT =
  /\.tool\s*\(|registerTool|addTool|setRequestHandler|\btool\s*\(|DynamicTool|StructuredTool|extends\s+Tool\b|inputSchema|input_schema|\btools\s*:/;
const PY_HINT = /tool/i;

export function mayRegisterTools(kind: SourceKind, text: string): boolean {
  if (kind === 'python') return PY_HINT.test(text);
  if (kind === 'javascript' || kind === 'typescript') return JS_HINT.test(text);
  return false;
}

const JS_DYNAMIC_SPEC = /\b(?:require|import)\s*\(\s*(['"])(\.{1,2}\/[^'"\n]{1,300})\1/g;

/** Relative module specifiers a JS/TS file loads through `require('./x')` or `import('./x')`. */
export function dynamicRelativeSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(JS_DYNAMIC_SPEC)) out.push(m[2]!);
  return out;
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}

const JS_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

/**
 * Candidate files (relative, `/`-separated) a module specifier may name, most likely first.
 * Over-approximates on purpose: a wrong candidate that exists only means one more file parsed.
 */
export function moduleCandidates(
  fromFile: string,
  spec: string,
  language: SourceKind,
  root: string,
): string[] {
  const dir = dirOf(fromFile);
  if (language === 'python') {
    const dots = /^\.+/.exec(spec)?.[0].length ?? 0;
    const rest = spec.slice(dots).split('.').filter(Boolean).join('/');
    const bases: string[] = [];
    if (dots > 0) {
      let base = dir;
      for (let i = 1; i < dots; i++) base = dirOf(base);
      bases.push(base);
    } else {
      // `import util` / `from pkg.mod import x`: a sibling module, or one from the package root.
      bases.push(dir, root);
    }
    return bases.flatMap((b) => {
      const p = normalize(rest ? `${b}/${rest}` : b);
      return rest ? [`${p}.py`, `${p}/__init__.py`] : [`${p}/__init__.py`];
    });
  }
  if (!spec.startsWith('.')) return [];
  const p = normalize(`${dir}/${spec}`);
  const stem = p.replace(/\.(?:[mc]?[jt]sx?)$/, '');
  return [p, ...JS_EXTS.map((e) => stem + e), ...JS_EXTS.map((e) => `${p}/index${e}`)];
}
