// The files of one package and how their imports resolve to each other: Python relative and
// sibling/absolute module names, JS relative specifiers with extension and index probing
// (`./x.js` written for `./x.ts`).

import type { ClassFact, FileFacts, FunctionFact } from '../facts.js';

const JS_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

function dirname(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** Join and normalise `/`-separated paths (no leading `/` kept for relative paths). */
export function joinPath(dir: string, rel: string): string {
  const out: string[] = [];
  for (const seg of `${dir}/${rel}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else out.push('..');
    } else out.push(seg);
  }
  const joined = out.join('/');
  return dir.startsWith('/') ? `/${joined}` : joined;
}

export class PackageIndex {
  readonly files = new Map<string, FileFacts>();
  private readonly functions = new Map<string, Map<string, FunctionFact>>();
  private readonly classes = new Map<string, Map<string, ClassFact>>();
  /** Python dotted module suffix → files (`b.c` → `a/b/c.py`). */
  private readonly pyModules = new Map<string, string[]>();
  private readonly resolveCache = new Map<string, string | undefined>();

  constructor(facts: FileFacts[]) {
    for (const f of facts) {
      this.files.set(f.file, f);
      const fns = new Map<string, FunctionFact>();
      for (const fn of f.functions) if (!fns.has(fn.id)) fns.set(fn.id, fn);
      this.functions.set(f.file, fns);
      const cls = new Map<string, ClassFact>();
      for (const c of f.classes) if (!cls.has(c.name)) cls.set(c.name, c);
      this.classes.set(f.file, cls);
      if (f.language === 'python') this.indexPython(f.file);
    }
  }

  private indexPython(file: string): void {
    if (!file.endsWith('.py') && !file.endsWith('.pyi')) return;
    let segs = file.replace(/\.pyi?$/, '').split('/');
    if (segs[segs.length - 1] === '__init__') segs = segs.slice(0, -1);
    for (let i = segs.length - 1; i >= 0; i--) {
      const key = segs.slice(i).join('.');
      let list = this.pyModules.get(key);
      if (!list) {
        list = [];
        this.pyModules.set(key, list);
      }
      list.push(file);
    }
  }

  fn(file: string, id: string): FunctionFact | undefined {
    return this.functions.get(file)?.get(id);
  }

  cls(file: string, name: string): ClassFact | undefined {
    return this.classes.get(file)?.get(name);
  }

  /** The package file a module specifier names, if it is part of the package. */
  resolve(fromFile: string, spec: string): string | undefined {
    const key = `${fromFile}\0${spec}`;
    if (this.resolveCache.has(key)) return this.resolveCache.get(key);
    const facts = this.files.get(fromFile);
    const out =
      facts?.language === 'python' ? this.resolvePython(fromFile, spec) : this.resolveJs(fromFile, spec);
    this.resolveCache.set(key, out);
    return out;
  }

  private resolvePython(fromFile: string, spec: string): string | undefined {
    let dots = 0;
    while (spec[dots] === '.') dots++;
    const rest = spec.slice(dots).split('.').filter(Boolean).join('/');
    if (dots > 0) {
      let dir = dirname(fromFile);
      for (let i = 1; i < dots; i++) dir = dirname(dir);
      if (rest) return this.pyFile(joinPath(dir, rest));
      const init = joinPath(dir, '__init__.py');
      return this.files.has(init) ? init : undefined;
    }
    const sibling = this.pyFile(joinPath(dirname(fromFile), rest));
    if (sibling) return sibling;
    const candidates = this.pyModules.get(spec);
    if (!candidates?.length) return undefined;
    // Several files can end in the same dotted name: prefer the one nearest the importer.
    let best: string | undefined;
    let bestScore = -1;
    for (const c of candidates) {
      let i = 0;
      while (i < c.length && i < fromFile.length && c[i] === fromFile[i]) i++;
      if (i > bestScore) {
        best = c;
        bestScore = i;
      }
    }
    return best;
  }

  private pyFile(base: string): string | undefined {
    for (const c of [`${base}.py`, `${base}/__init__.py`, `${base}.pyi`]) if (this.files.has(c)) return c;
    return undefined;
  }

  private resolveJs(fromFile: string, spec: string): string | undefined {
    if (!spec.startsWith('.') && !spec.startsWith('/')) return undefined;
    const base = spec.startsWith('/') ? joinPath('', spec) : joinPath(dirname(fromFile), spec);
    if (this.files.has(base)) return base;
    const stem = base.replace(/\.(m|c)?jsx?$/, '');
    for (const ext of JS_EXTS) if (this.files.has(stem + ext)) return stem + ext;
    for (const ext of JS_EXTS) if (this.files.has(`${base}/index${ext}`)) return `${base}/index${ext}`;
    return undefined;
  }
}

/** Canonical module name for API paths: `node:` gone, `/` as `.` (`fs/promises` → `fs.promises`). */
export function canonicalModule(spec: string): string {
  return spec.replace(/^node:/, '').replace(/\//g, '.');
}
