// Finds the files a scan reads. Hostile trees are normal input here: symlink loops, links that
// leave the tree, binary blobs, huge files and unreadable entries are skipped and reported,
// never followed blindly and never fatal.
import { type Dirent, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import type { Language } from '../core/types.js';

export type SourceKind = Language | 'json';

export interface WalkedFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the working directory, `/`-separated (the form every report uses). */
  rel: string;
  kind: SourceKind;
  /** The scan root (argument) this file was found under; groups files into packages. */
  root: string;
  /** True when the file was named directly on the command line. */
  explicit: boolean;
}

export type SkipReason =
  | 'excluded-directory'
  | 'too-large'
  | 'binary'
  | 'symlink-loop'
  | 'link-outside-tree'
  | 'broken-link'
  | 'unreadable'
  | 'unsupported-type'
  | 'invalid-manifest'
  | 'limit-reached';

export interface SkippedFile {
  rel: string;
  reason: SkipReason;
  detail?: string;
}

export interface WalkOptions {
  cwd: string;
  /** Directory names never entered. */
  excludeDirs: ReadonlySet<string>;
  maxFileBytes: number;
  /** Stop after this many files (a safety valve for pointing the scanner at `/`). */
  maxFiles: number;
}

export const DEFAULT_EXCLUDED_DIRS: readonly string[] = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'venv',
  '.venv',
  'env',
  '.env',
  '.tox',
  '.nox',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  '.next',
  '.turbo',
  'coverage',
];

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 200_000;

const EXTENSIONS: Record<string, SourceKind> = {
  '.py': 'python',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'typescript',
  '.json': 'json',
};

/** The kind of source a path holds, by its name; undefined for files the scanner does not read. */
export function sourceKind(path: string): SourceKind | undefined {
  const name = basename(path);
  if (/\.d\.[mc]?ts$/.test(name)) return undefined; // declarations carry no behaviour
  if (/\.min\.js\.map$|\.map$/.test(name)) return undefined;
  return EXTENSIONS[extname(name).toLowerCase()];
}

function toRel(cwd: string, abs: string): string {
  const r = relative(cwd, abs);
  return (r === '' ? '.' : r).split(sep).join('/');
}

/** A Python virtualenv marks itself with pyvenv.cfg, whatever its folder is called. */
function isVirtualenv(entries: Dirent[]): boolean {
  return entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile());
}

/**
 * Walks the given paths. Directories are walked depth-first in name order (deterministic output);
 * symlinks are followed only when they resolve inside the scan root they were found under, and each
 * real directory is entered once, so cycles end.
 */
export function walk(paths: string[], opts: WalkOptions): { files: WalkedFile[]; skipped: SkippedFile[] } {
  const files: WalkedFile[] = [];
  const skipped: SkippedFile[] = [];
  const seenFiles = new Set<string>();

  const addFile = (abs: string, real: string, root: string, explicit: boolean, size: number): void => {
    const rel = toRel(opts.cwd, abs);
    const kind = sourceKind(abs);
    if (!kind) {
      if (explicit) skipped.push({ rel, reason: 'unsupported-type', detail: 'not Python, TS/JS or JSON' });
      return;
    }
    if (seenFiles.has(real)) return;
    if (files.length >= opts.maxFiles) {
      if (skipped.at(-1)?.reason !== 'limit-reached')
        skipped.push({ rel, reason: 'limit-reached', detail: `more than ${opts.maxFiles} files` });
      return;
    }
    if (size > opts.maxFileBytes) {
      skipped.push({ rel, reason: 'too-large', detail: `${size} bytes > ${opts.maxFileBytes}` });
      return;
    }
    seenFiles.add(real);
    files.push({ path: abs, rel, kind, root, explicit });
  };

  for (const input of paths) {
    const abs = input;
    const realRoot = realpathSync(abs);
    const st = statSync(abs);
    if (st.isFile()) {
      addFile(abs, realRoot, abs, true, st.size);
      continue;
    }
    const seenDirs = new Set<string>([realRoot]);
    // Explicit stack instead of recursion: a 10,000-deep directory chain cannot overflow.
    const stack: string[] = [abs];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        skipped.push({ rel: toRel(opts.cwd, dir), reason: 'unreadable', detail: (err as Error).message });
        continue;
      }
      if (dir !== abs && isVirtualenv(entries)) {
        skipped.push({
          rel: toRel(opts.cwd, dir),
          reason: 'excluded-directory',
          detail: 'Python virtualenv',
        });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: string[] = [];
      for (const entry of entries) {
        const p = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (opts.excludeDirs.has(entry.name)) continue; // silently: the default excludes are documented
          const real = realpathSync(p);
          if (seenDirs.has(real)) continue;
          seenDirs.add(real);
          subdirs.push(p);
        } else if (entry.isFile()) {
          if (!sourceKind(p)) continue;
          let size = 0;
          try {
            size = lstatSync(p).size;
          } catch (err) {
            skipped.push({ rel: toRel(opts.cwd, p), reason: 'unreadable', detail: (err as Error).message });
            continue;
          }
          addFile(p, p, abs, false, size);
        } else if (entry.isSymbolicLink()) {
          const rel = toRel(opts.cwd, p);
          let real: string;
          try {
            real = realpathSync(p);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            skipped.push({ rel, reason: code === 'ELOOP' ? 'symlink-loop' : 'broken-link' });
            continue;
          }
          let target: ReturnType<typeof statSync>;
          try {
            target = statSync(real);
          } catch (err) {
            skipped.push({ rel, reason: 'unreadable', detail: (err as Error).message });
            continue;
          }
          if (real !== realRoot && !real.startsWith(realRoot + sep)) {
            if (sourceKind(p) || target.isDirectory())
              skipped.push({ rel, reason: 'link-outside-tree', detail: `points to ${real}` });
            continue;
          }
          if (target.isDirectory()) {
            if (opts.excludeDirs.has(entry.name)) continue;
            if (seenDirs.has(real)) {
              skipped.push({ rel, reason: 'symlink-loop', detail: 'directory already visited' });
              continue;
            }
            seenDirs.add(real);
            subdirs.push(p);
          } else if (target.isFile() && sourceKind(p)) {
            addFile(p, real, abs, false, target.size);
          }
        }
      }
      // Reversed so the stack pops folders in name order: output is deterministic.
      for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
    }
  }
  return { files, skipped };
}

/** Reads a file for analysis: binary content is refused, invalid UTF-8 is decoded with replacement. */
export function readSource(path: string): { text: string; invalidUtf8: boolean } | { binary: true } {
  const buf = readFileSync(path);
  const probe = buf.subarray(0, Math.min(buf.length, 8192));
  if (probe.includes(0)) return { binary: true };
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  const text = decoder.decode(buf);
  // U+FFFD appears for invalid sequences; a real U+FFFD in the source is rare enough to report alike.
  return { text, invalidUtf8: text.includes('\uFFFD') };
}
