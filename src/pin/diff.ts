// What changed between the pinned tools of a server and what its source lists now: tools added,
// removed or changed, and for a changed tool which fields changed — a line diff of the description
// and title, a JSON-path diff of schemas and annotations — plus the server's instructions.

import { formatJsonPath } from '../core/json-text.js';
import { canonicalize } from './canonical.js';
import { fingerprintTool, PINNED_FIELDS, type PinnedField, pinnedDefinition } from './fingerprint.js';
import type { LockedServer, Lockfile } from './lockfile.js';
import type { ToolSnapshot } from './source.js';

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

export interface JsonChange {
  /** Path from the field, e.g. `inputSchema.properties.sidenote`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface FieldChange {
  field: PinnedField;
  kind: 'added' | 'removed' | 'changed';
  /** For text fields (description, title): a line diff. */
  lines?: DiffLine[];
  /** For structured fields (schemas, annotations): the changed paths. */
  changes?: JsonChange[];
}

export interface ToolRef {
  name: string;
  location?: { file: string; line: number };
}

export interface ToolChange extends ToolRef {
  before: string;
  after: string;
  fields: FieldChange[];
}

export interface InstructionsChange {
  kind: 'added' | 'removed' | 'changed';
  lines: DiffLine[];
}

export interface ServerDiff {
  serverKey: string;
  origin: string;
  /** `new`: the server is not in the lockfile at all (all its tools count as added). */
  status: 'unchanged' | 'changed' | 'new';
  added: ToolRef[];
  removed: ToolRef[];
  changed: ToolChange[];
  instructions?: InstructionsChange;
  /** Informational: a version change alone is not a change of what the model sees. */
  version?: { before?: string; after?: string };
}

export interface LockDiff {
  servers: ServerDiff[];
  /** Servers in the lockfile that no given source produced: not checked this run. */
  unverified: string[];
  changed: boolean;
}

/** Limits that keep hostile input from producing unbounded work or output. */
const MAX_JSON_CHANGES = 200;
const MAX_LCS_CELLS = 4_000_000;

export function diffLock(lock: Lockfile, snapshots: ToolSnapshot[]): LockDiff {
  const servers = snapshots.map((s) => diffServer(lock.servers.get(s.serverKey), s));
  const seen = new Set(snapshots.map((s) => s.serverKey));
  const unverified = [...lock.servers.keys()].filter((k) => !seen.has(k)).sort();
  return { servers, unverified, changed: servers.some((s) => s.status !== 'unchanged') };
}

export function diffServer(locked: LockedServer | undefined, snapshot: ToolSnapshot): ServerDiff {
  const diff: ServerDiff = {
    serverKey: snapshot.serverKey,
    origin: snapshot.origin,
    status: 'unchanged',
    added: [],
    removed: [],
    changed: [],
  };
  const current = new Map(snapshot.tools.map((t) => [t.name, t]));
  for (const tool of snapshot.tools) {
    const pinned = locked?.tools.get(tool.name);
    const ref: ToolRef = tool.location ? { name: tool.name, location: tool.location } : { name: tool.name };
    if (!pinned) {
      diff.added.push(ref);
      continue;
    }
    const after = fingerprintTool(tool);
    if (after === pinned.fingerprint) continue;
    const before = pinned.definition as Record<string, unknown>;
    const now = pinnedDefinition(tool) as Record<string, unknown>;
    diff.changed.push({ ...ref, before: pinned.fingerprint, after, fields: diffFields(before, now) });
  }
  for (const name of locked?.tools.keys() ?? []) {
    if (!current.has(name)) diff.removed.push({ name });
  }
  diff.removed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // The pinned text was checked against its fingerprint when the lockfile was read, so comparing
  // the texts is comparing the fingerprints.
  const before = locked?.instructions?.text;
  const after = snapshot.instructions;
  if (locked && before !== after) {
    diff.instructions = {
      kind: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed',
      lines: diffLines(before ?? '', after ?? ''),
    };
  }
  if (locked && locked.version !== snapshot.version) {
    diff.version = {};
    if (locked.version !== undefined) diff.version.before = locked.version;
    if (snapshot.version !== undefined) diff.version.after = snapshot.version;
  }

  if (!locked) diff.status = 'new';
  else if (diff.added.length || diff.removed.length || diff.changed.length || diff.instructions) {
    diff.status = 'changed';
  }
  return diff;
}

function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const fields: FieldChange[] = [];
  for (const field of PINNED_FIELDS) {
    const a = before[field];
    const b = after[field];
    if (a === undefined && b === undefined) continue;
    if (a !== undefined && b !== undefined && canonicalize(a) === canonicalize(b)) continue;
    const kind = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    const change: FieldChange = { field, kind };
    if ((a === undefined || typeof a === 'string') && (b === undefined || typeof b === 'string')) {
      change.lines = diffLines(a ?? '', b ?? '');
    } else {
      const changes: JsonChange[] = [];
      diffJson(a, b, [field], changes);
      change.changes = changes;
    }
    fields.push(change);
  }
  return fields;
}

// ---------------------------------------------------------------- JSON path diff

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isScalarArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}

function push(out: JsonChange[], change: JsonChange): void {
  if (out.length < MAX_JSON_CHANGES) out.push(change);
  else if (out.length === MAX_JSON_CHANGES)
    out.push({ path: '…', kind: 'changed', after: 'more changes not shown' });
}

/** Appends the differences between two JSON values, by path. Absent values are `undefined`. */
export function diffJson(a: unknown, b: unknown, path: (string | number)[], out: JsonChange[]): void {
  if (out.length > MAX_JSON_CHANGES) return;
  const at = formatJsonPath(path);
  if (a === undefined && b === undefined) return;
  if (a === undefined || b === undefined) {
    push(
      out,
      a === undefined ? { path: at, kind: 'added', after: b } : { path: at, kind: 'removed', before: a },
    );
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) {
      path.push(key);
      diffJson(
        Object.hasOwn(a, key) ? a[key] : undefined,
        Object.hasOwn(b, key) ? b[key] : undefined,
        path,
        out,
      );
      path.pop();
    }
    return;
  }
  if (isScalarArray(a) && isScalarArray(b)) {
    diffScalarArrays(a, b, at, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      path.push(i);
      diffJson(i < a.length ? a[i] : undefined, i < b.length ? b[i] : undefined, path, out);
      path.pop();
    }
    return;
  }
  if (canonicalize(a) !== canonicalize(b)) push(out, { path: at, kind: 'changed', before: a, after: b });
}

/** `required`, `enum`, `type` lists: report members added and removed, then a pure reordering. */
function diffScalarArrays(a: unknown[], b: unknown[], at: string, out: JsonChange[]): void {
  const count = (xs: unknown[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(canonicalize(x), (m.get(canonicalize(x)) ?? 0) + 1);
    return m;
  };
  const ca = count(a);
  const cb = count(b);
  let any = false;
  for (const [key, n] of ca) {
    for (let i = cb.get(key) ?? 0; i < n; i++, any = true)
      push(out, { path: at, kind: 'removed', before: JSON.parse(key) });
  }
  for (const [key, n] of cb) {
    for (let i = ca.get(key) ?? 0; i < n; i++, any = true)
      push(out, { path: at, kind: 'added', after: JSON.parse(key) });
  }
  if (!any && canonicalize(a) !== canonicalize(b))
    push(out, { path: at, kind: 'changed', before: a, after: b });
}

// ---------------------------------------------------------------- line diff

function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/\r?\n/);
}

/**
 * A line diff (all lines, unchanged ones with op ' '). Common head and tail are matched first;
 * the middle is aligned by longest common subsequence when small enough, else replaced whole.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ op: ' ', text }));
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  if (midA.length * midB.length <= MAX_LCS_CELLS) out.push(...lcsDiff(midA, midB));
  else {
    out.push(...midA.map((text): DiffLine => ({ op: '-', text })));
    out.push(...midB.map((text): DiffLine => ({ op: '+', text })));
  }
  out.push(...a.slice(a.length - tail).map((text): DiffLine => ({ op: ' ', text })));
  return out;
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j] = LCS of a[i..] and b[j..], flattened.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!)
      out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}
