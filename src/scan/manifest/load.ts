// Reads MCP tool manifests: the result of `tools/list`, as a file. Accepted shapes:
//   { "tools": [...] }
//   { "server": { "name", "version", "instructions"? }, "tools": [...] }
//   { "jsonrpc": "2.0", "id": …, "result": { "tools": [...] } }   (a captured JSON-RPC response)
//   [ ...tools ]
// Every error names the file, the line and the field (`tools[3].name`). Input is untrusted: size
// and nesting are capped, binary and malformed JSON are reported, never crash the reader.

import { relative, sep } from 'node:path';
import { z } from 'zod';
import { PortcullisError } from '../../core/errors.js';
import {
  decodeJsonBytes,
  formatJsonPath,
  type JsonPath,
  parseJsonText,
  readJsonFileBytes,
} from '../../core/json-text.js';
import type { PinnableTool, ToolSnapshot, ToolSource } from '../../pin/source.js';

export const MAX_MANIFEST_BYTES = 20 * 1024 * 1024;
export const MAX_MANIFEST_DEPTH = 64;

export interface ManifestTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  /** 1-based line of the tool's `name` in the file. */
  line: number;
  /**
   * Fields the manifest gave as an explicit null. They are left out of the typed fields above, but
   * a fingerprint tells "null" from "absent", so pinning needs to know.
   */
  nulls?: NullableToolField[];
}

export interface ManifestServer {
  name?: string;
  version?: string;
  instructions?: string;
}

export interface Manifest {
  file: string;
  server?: ManifestServer;
  tools: ManifestTool[];
  /** Set when the list is one page of a paginated tools/list: more tools exist. */
  nextCursor?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const JsonObject = z.custom<Record<string, unknown>>(isRecord, { message: 'expected a JSON object' });

const ToolSchema = z.looseObject({
  name: z.string({ message: 'a tool needs a string "name"' }).min(1, 'tool name is empty'),
  // null is accepted (some serialisers write absent optionals as null) and remembered in `nulls`.
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  inputSchema: JsonObject.nullable().optional(),
  outputSchema: JsonObject.nullable().optional(),
  annotations: JsonObject.nullable().optional(),
});

const NULLABLE_FIELDS = ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;
export type NullableToolField = (typeof NULLABLE_FIELDS)[number];

const ServerSchema = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  instructions: z.string().optional(),
});

/** Budget for the sniff: a manifest shows its shape early; a huge unrelated file is not read whole. */
const SNIFF_CHARS = 1024 * 1024;

/**
 * A cheap test for "this JSON text looks like a tool manifest", so a scanner walking a tree can
 * route it here rather than to other JSON handling. It only looks at structure — a top-level
 * `"tools": [` (or `"result": { "tools": [`), or an array whose first element has `name` and
 * `inputSchema` keys — with one linear pass that tracks strings and nesting. parseManifest decides.
 */
export function isManifestText(text: string): boolean {
  const end = Math.min(text.length, SNIFF_CHARS);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const skipSpace = () => {
    while (i < end && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  skipSpace();
  const rootIsArray = text[i] === '[';
  if (!rootIsArray && text[i] !== '{') return false;
  // Keys seen along the current path of objects: path[d] is the last key at depth d.
  const path: string[] = [];
  let depth = 0;
  let firstElementKeys = 0; // bare array: bit 1 = name, bit 2 = inputSchema, in the first element
  while (i < end) {
    const c = text[i];
    if (c === '"') {
      const start = ++i;
      while (i < end && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      const str = text.slice(start, Math.min(i, start + 64));
      i++;
      skipSpace();
      if (text[i] !== ':') continue;
      i++;
      skipSpace();
      path[depth] = str;
      const opensArray = text[i] === '[';
      if (!rootIsArray && str === 'tools' && opensArray) {
        if (depth === 1 || (depth === 2 && path[1] === 'result')) return true;
      }
      if (rootIsArray && depth === 2) {
        if (str === 'name') firstElementKeys |= 1;
        if (str === 'inputSchema') firstElementKeys |= 2;
        if (firstElementKeys === 3) return true;
      }
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth <= 1 && rootIsArray) return false; // the first element ended without both keys
      if (depth <= 0) return false;
    }
    i++;
  }
  return false;
}

/** Parses manifest text. `file` is used in errors and in the result. */
export function parseManifest(text: string, file: string): Manifest {
  if (text.length > MAX_MANIFEST_BYTES) {
    throw new PortcullisError('INPUT_INVALID', `manifest is larger than ${MAX_MANIFEST_BYTES} bytes`, {
      file,
    });
  }
  const parsed = parseJsonText(text, { file, maxDepth: MAX_MANIFEST_DEPTH });
  const fail = (message: string, path: JsonPath): never => {
    const { line, column } = parsed.locate(path);
    throw new PortcullisError('INPUT_INVALID', message, { file, line, column, field: formatJsonPath(path) });
  };
  const root = parsed.value;

  let toolsPath: JsonPath;
  let serverValue: unknown;
  if (Array.isArray(root)) toolsPath = [];
  else if (!isRecord(root)) return fail('a manifest is a JSON object or array of tools', []);
  else if (Object.hasOwn(root, 'tools')) {
    toolsPath = ['tools'];
    serverValue = Object.hasOwn(root, 'server') ? root.server : undefined;
  } else if (Object.hasOwn(root, 'result') || Object.hasOwn(root, 'jsonrpc')) {
    if (Object.hasOwn(root, 'error')) {
      const err = root.error;
      const msg = isRecord(err) && typeof err.message === 'string' ? `: ${err.message}` : '';
      return fail(`this is a JSON-RPC error response${msg.slice(0, 200)}, not a tool list`, ['error']);
    }
    if (!isRecord(root.result) || !Object.hasOwn(root.result, 'tools')) {
      return fail('a JSON-RPC response must carry "result": { "tools": [...] }', ['result']);
    }
    toolsPath = ['result', 'tools'];
  } else {
    return fail('no "tools" array: expected an MCP tools/list result', []);
  }

  const tools = toolsPath.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], root);
  if (!Array.isArray(tools)) return fail('"tools" must be an array', toolsPath);

  const manifest: Manifest = { file, tools: [] };
  const container = toolsPath.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], root);
  if (isRecord(container) && typeof container.nextCursor === 'string' && container.nextCursor !== '') {
    manifest.nextCursor = container.nextCursor;
  }
  if (serverValue !== undefined) {
    const result = ServerSchema.safeParse(serverValue);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      fail(issue.message, ['server', ...(issue.path as (string | number)[])]);
    }
    const server = serverValue as Record<string, unknown>;
    manifest.server = {};
    for (const key of ['name', 'version', 'instructions'] as const) {
      if (typeof server[key] === 'string') manifest.server[key] = server[key] as string;
    }
  }

  tools.forEach((value, index) => {
    const path = [...toolsPath, index];
    const result = ToolSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const at = [...path, ...(issue.path as (string | number)[])];
      const message =
        issue.code === 'invalid_type' && issue.path.length === 0
          ? 'a tool must be a JSON object'
          : issue.message;
      fail(message, at);
    }
    // Keep the parsed values themselves (zod copies objects, and keys like `__proto__` must survive).
    const raw = value as Record<string, unknown>;
    const tool: ManifestTool = { name: raw.name as string, line: parsed.locate([...path, 'name']).line };
    for (const field of NULLABLE_FIELDS) {
      const v = raw[field];
      if (v === null) {
        tool.nulls ??= [];
        tool.nulls.push(field);
      } else if (v !== undefined) (tool as unknown as Record<string, unknown>)[field] = v;
    }
    manifest.tools.push(tool);
  });
  return manifest;
}

/** Reads and parses a manifest file. */
export function loadManifest(path: string): Manifest {
  const bytes = readJsonFileBytes(path, {
    what: 'manifest',
    maxBytes: MAX_MANIFEST_BYTES,
    tooLargeCode: 'INPUT_INVALID',
  });
  return parseManifest(decodeJsonBytes(bytes, path), path);
}

/** The path as shown and keyed: relative to `cwd` when inside it, with forward slashes. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  const shown = rel === '' || rel.startsWith('..') || /^[A-Za-z]:/.test(rel) ? path : rel;
  return shown.split(sep).join('/');
}

/**
 * A parsed manifest as the tools of one server, ready to pin or verify. The server key is the
 * manifest's server name, else `origin`. Any producer of a Manifest (a file, a live server) can
 * pin through this.
 */
export function manifestSnapshot(manifest: Manifest, origin: string): ToolSnapshot {
  if (manifest.nextCursor !== undefined) {
    // Pinning one page would leave the other pages' tools unpinned.
    throw new PortcullisError(
      'INPUT_INVALID',
      'this is one page of a paginated tools/list ("nextCursor" is set); capture every page into one manifest before pinning',
      { file: manifest.file, field: 'nextCursor' },
    );
  }
  const tools: PinnableTool[] = manifest.tools.map(({ line, nulls, ...def }) => {
    const tool: PinnableTool = { ...def, location: { file: origin, line } };
    for (const field of nulls ?? []) tool[field] = null;
    return tool;
  });
  const snapshot: ToolSnapshot = { serverKey: manifest.server?.name || origin, origin, tools };
  if (manifest.server?.version !== undefined) snapshot.version = manifest.server.version;
  if (manifest.server?.instructions !== undefined) snapshot.instructions = manifest.server.instructions;
  return snapshot;
}

/** A manifest file as a pinning source. */
export function manifestToolSource(path: string, cwd: string = process.cwd()): ToolSource {
  const origin = displayPath(path, cwd);
  return {
    origin,
    async load(): Promise<ToolSnapshot> {
      return manifestSnapshot(loadManifest(path), origin);
    },
  };
}
