// The scan pipeline: walk → parse each file (Python / TS-JS / manifest JSON) → analyse each package
// (effects and data flow across its files) → claims → rules → suppressions and baseline.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PortcullisError } from '../core/errors.js';
import type { Finding, ToolDefinition } from '../core/types.js';
import { listedToolDefinition } from '../text/tool/listed.js';
import { baselineKey } from './baseline.js';
import { extractClaims } from './claims.js';
import { type DuplicateTool, dedupeTools } from './dedupe.js';
import type { FileFacts } from './facts.js';
import { analyzePackage } from './flow.js';
import { isManifestText, parseManifest } from './manifest/load.js';
import { createParser } from './parse-pool.js';
import { instructionsLine, serverInstructionFindings } from './poison/instructions.js';
import { dynamicRelativeSpecifiers, mayRegisterTools, moduleCandidates } from './reach.js';
import { runRules } from './rules/index.js';
import { findSuppression, parseSuppressions, type Suppression } from './suppress.js';
import {
  DEFAULT_EXCLUDED_DIRS,
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_FILES,
  readSource,
  type SkippedFile,
  type WalkedFile,
  walk,
} from './walk.js';

export interface ScanOptions {
  /** Paths are reported relative to this (default: process.cwd()). */
  cwd?: string;
  /** Extra directory names to skip, on top of the defaults (unless `noDefaultExcludes`). */
  exclude?: string[];
  /** Scan node_modules, virtualenvs and .git too. */
  noDefaultExcludes?: boolean;
  maxFileBytes?: number;
  /** Only these rule ids. */
  rules?: string[];
  /** Baseline keys (see baseline.ts): matching findings are reported as baselined, not new. */
  baseline?: ReadonlySet<string>;
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface UnresolvedEntry {
  file: string;
  line: number;
  reason: string;
  snippet: string;
}

export interface ScanStats {
  filesRead: number;
  linesRead: number;
  toolsFound: number;
  /** Copies of a tool found again in another build of the same package (listed in coverage). */
  duplicateTools?: number;
  registrationsNotUnderstood: number;
  filesSkipped: number;
  /** Files parsed and analysed: those that may register tools, and what they import. */
  filesAnalysed: number;
  /** Source files read but not analysed: no tool registration, and no tool file imports them. */
  filesNotReached: number;
  findings: number;
  suppressed: number;
  baselined: number;
  durationMs: number;
}

export interface ScanResult {
  version: 1;
  tools: ToolDefinition[];
  /** Findings that count: not suppressed, not in the baseline. */
  findings: Finding[];
  suppressed: { finding: Finding; reason: string; line: number }[];
  baselined: Finding[];
  coverage: {
    skipped: SkippedFile[];
    unresolved: UnresolvedEntry[];
    parseErrors: { file: string; line: number; message: string }[];
    /** The same tool shipped twice in one package (`index.js` + `index.cjs`, `src` + `dist`): one kept. */
    duplicateTools?: DuplicateTool[];
    /** Suppression comments without a reason or rule, and other notes worth a look. */
    notes: { file: string; line: number; message: string }[];
  };
  stats: ScanStats;
}

const PACKAGE_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', 'setup.cfg'];

/** Nearest folder at or above the file's, but not above its scan root, that marks a package. */
function packageRootOf(file: WalkedFile, cache: Map<string, string>): string {
  if (file.explicit) return file.path;
  let dir = dirname(file.path);
  const visited: string[] = [];
  let found = file.root;
  while (true) {
    const cached = cache.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(dir);
    if (PACKAGE_MARKERS.some((m) => existsSync(join(dir, m)))) {
      found = dir;
      break;
    }
    if (dir === file.root || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  for (const v of visited) cache.set(v, found);
  return found;
}

function countLines(text: string): number {
  let n = 1;
  let i = text.indexOf('\n');
  while (i !== -1) {
    n++;
    i = text.indexOf('\n', i + 1);
  }
  return n;
}

/** Module specifiers a file loads: imports, re-exports, and JS `require('./x')` / `import('./x')`. */
function dependencySpecifiers(facts: FileFacts, text: string): string[] {
  const specs = new Set<string>();
  for (const i of facts.imports) {
    specs.add(i.module);
    // `from . import util` / `from .pkg import mod`: the imported name may itself be a module.
    if (facts.language === 'python' && i.imported !== '*')
      specs.add(i.module.endsWith('.') ? `${i.module}${i.imported}` : `${i.module}.${i.imported}`);
  }
  for (const e of facts.exports) if (e.from) specs.add(e.from);
  if (facts.language !== 'python') for (const s of dynamicRelativeSpecifiers(text)) specs.add(s);
  return [...specs];
}

export async function scanPaths(paths: string[], options: ScanOptions = {}): Promise<ScanResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  if (paths.length === 0) throw new PortcullisError('USAGE', 'no path to scan');
  const absPaths = paths.map((p) => resolve(cwd, p));
  absPaths.forEach((p, i) => {
    if (!existsSync(p))
      throw new PortcullisError('INPUT_NOT_FOUND', 'no such file or directory', { file: paths[i] });
    statSync(p);
  });
  const excludeDirs = new Set([
    ...(options.noDefaultExcludes ? [] : DEFAULT_EXCLUDED_DIRS),
    ...(options.exclude ?? []),
  ]);
  const { files, skipped } = walk(absPaths, {
    cwd,
    excludeDirs,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxFiles: DEFAULT_MAX_FILES,
  });

  const byPackage = new Map<string, FileFacts[]>();
  const manifestTools: ToolDefinition[] = [];
  const serverFindings: Finding[] = [];
  const parseErrors: ScanResult['coverage']['parseErrors'] = [];
  const notes: ScanResult['coverage']['notes'] = [];
  const suppressionsByFile = new Map<string, Suppression[]>();
  const pkgCache = new Map<string, string>();
  let linesRead = 0;
  let filesRead = 0;

  // Pass 1: read everything, take manifests, and queue the files that may register tools.
  const sources = new Map<string, { file: WalkedFile; text: string }>();
  const queue: string[] = [];
  files.forEach((file, index) => {
    options.onProgress?.(index, files.length * 2, file.rel);
    let source: ReturnType<typeof readSource>;
    try {
      source = readSource(file.path);
    } catch (err) {
      skipped.push({ rel: file.rel, reason: 'unreadable', detail: (err as Error).message });
      return;
    }
    if ('binary' in source) {
      skipped.push({ rel: file.rel, reason: 'binary' });
      return;
    }
    const { text } = source;
    if (file.kind === 'json') {
      // Only tool manifests are read among JSON files; package.json and friends are not input.
      if (!file.explicit && !isManifestText(text)) return;
      let manifest: ReturnType<typeof parseManifest>;
      try {
        manifest = parseManifest(text, file.rel);
      } catch (err) {
        // Named on the command line: the user meant it, so a bad manifest is an input error.
        if (file.explicit) throw err;
        const detail = err instanceof PortcullisError ? err.format() : (err as Error).message;
        skipped.push({ rel: file.rel, reason: 'invalid-manifest', detail });
        return;
      }
      filesRead++;
      linesRead += countLines(text);
      for (const t of manifest.tools) manifestTools.push(listedToolDefinition(t, file.rel, t.line));
      // The server's instructions reach the model too: judged like a description, reported on the server.
      if (manifest.server?.instructions)
        serverFindings.push(
          ...serverInstructionFindings(
            manifest.server.instructions,
            file.rel,
            instructionsLine(text),
            options.rules,
          ),
        );
      return;
    }
    filesRead++;
    linesRead += countLines(text);
    if (source.invalidUtf8)
      notes.push({ file: file.rel, line: 1, message: 'invalid UTF-8 (decoded with replacement)' });
    sources.set(file.rel, { file, text });
    if (file.explicit || mayRegisterTools(file.kind, text)) queue.push(file.rel);
  });

  // Pass 2: parse the queued files and, transitively, the files they import, in waves (each
  // wave's files in parallel when the scan is large enough for worker threads).
  const parsed = new Set<string>(queue);
  const queuedBytes = queue.reduce((n, rel) => n + sources.get(rel)!.text.length, 0);
  const parser = createParser(queuedBytes);
  let analysed = 0;
  try {
    while (queue.length > 0) {
      const wave = queue.splice(0);
      const results = await Promise.allSettled(
        wave.map((rel) => {
          const { file, text } = sources.get(rel)!;
          return parser.parse({ rel, kind: file.kind as 'python' | 'javascript' | 'typescript', text });
        }),
      );
      wave.forEach((rel, i) => {
        const { file, text } = sources.get(rel)!;
        options.onProgress?.(files.length + analysed++, files.length * 2, rel);
        const r = results[i]!;
        if (r.status === 'rejected') {
          skipped.push({
            rel,
            reason: 'unreadable',
            detail: `could not analyse: ${(r.reason as Error).message}`,
          });
          return;
        }
        const facts = r.value;
        const sup = parseSuppressions(text);
        if (sup.suppressions.length) suppressionsByFile.set(rel, sup.suppressions);
        for (const p of sup.problems) notes.push({ file: rel, ...p });
        for (const e of facts.parseErrors) parseErrors.push({ file: rel, ...e });
        const pkg = packageRootOf(file, pkgCache);
        const group = byPackage.get(pkg);
        if (group) group.push(facts);
        else byPackage.set(pkg, [facts]);
        const pkgRel = relative(cwd, pkg).split(sep).join('/');
        for (const spec of dependencySpecifiers(facts, text)) {
          const hit = moduleCandidates(rel, spec, file.kind, pkgRel === '' ? '.' : pkgRel).find((c) =>
            sources.has(c),
          );
          if (hit && !parsed.has(hit)) {
            parsed.add(hit);
            queue.push(hit);
          }
        }
      });
    }
  } finally {
    await parser.close();
  }
  const unreached = sources.size - parsed.size;

  const tools: ToolDefinition[] = [...manifestTools];
  const unresolved: UnresolvedEntry[] = [];
  const duplicateTools: DuplicateTool[] = [];
  // A build folder with its own package.json (`dist/esm/package.json` saying `"type": "module"`)
  // is another copy of the package around it: tools are deduplicated over the outermost package.
  const roots = [...byPackage.keys()].sort((a, b) => a.length - b.length);
  const outermost = (root: string): string =>
    roots.find((r) => root === r || root.startsWith(r.endsWith(sep) ? r : r + sep)) ?? root;
  const families = new Map<string, ToolDefinition[]>();
  for (const [root, group] of byPackage) {
    // Waves finish in any order; analysis input is sorted so output never depends on timing.
    group.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const analysis = analyzePackage(group);
    const family = outermost(root);
    families.set(family, [...(families.get(family) ?? []), ...analysis.tools]);
    unresolved.push(...analysis.unresolved);
    notes.push(...analysis.notes);
  }
  for (const family of [...families.keys()].sort()) {
    const found = (families.get(family) ?? []).sort((a, b) =>
      a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1,
    );
    const deduped = dedupeTools(found);
    tools.push(...deduped.tools);
    duplicateTools.push(...deduped.duplicates);
    const first = deduped.duplicates[0];
    if (first) {
      // One line per package in the text report's notes; the JSON coverage lists every copy.
      const n = deduped.duplicates.length;
      notes.push({
        file: first.file,
        line: first.line,
        message: `${n} tool${n === 1 ? '' : 's'} found again in another copy of the package's code (e.g. ${first.tool}, kept as ${first.keptAs}): counted once; coverage.duplicateTools lists them`,
      });
    }
  }
  for (const tool of tools) tool.claims = extractClaims(tool);
  tools.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));

  const all = [...runRules(tools, options.rules ? { rules: options.rules } : undefined), ...serverFindings];
  const toolById = new Map(tools.map((t) => [t.id, t]));
  const findings: Finding[] = [];
  const suppressed: ScanResult['suppressed'] = [];
  const baselined: Finding[] = [];
  for (const f of all) {
    const tool = f.tool ? toolById.get(f.tool) : undefined;
    const sups = suppressionsByFile.get(f.file);
    const toolSups = tool && tool.file !== f.file ? suppressionsByFile.get(tool.file) : sups;
    const hit =
      (sups && findSuppression(sups, f.rule, [f.line])) ??
      (tool && toolSups && findSuppression(toolSups, f.rule, [tool.line]));
    if (hit) suppressed.push({ finding: f, reason: hit.reason, line: hit.line });
    else if (options.baseline?.has(baselineKey(f))) baselined.push(f);
    else findings.push(f);
  }

  return {
    version: 1,
    tools,
    findings,
    suppressed,
    baselined,
    coverage: { skipped, unresolved, parseErrors, duplicateTools, notes },
    stats: {
      filesRead,
      linesRead,
      toolsFound: tools.length,
      duplicateTools: duplicateTools.length,
      registrationsNotUnderstood: unresolved.length,
      filesSkipped: skipped.length,
      filesAnalysed: parsed.size,
      filesNotReached: unreached,
      findings: findings.length,
      suppressed: suppressed.length,
      baselined: baselined.length,
      durationMs: Math.round(performance.now() - started),
    },
  };
}
