// portcullis.lock: the pinned tool definitions of each trusted server.
//
// Format (version 1), written with keys sorted at every level, two-space indent, trailing newline:
//   { "lockfileVersion": 1,
//     "servers": { "<server key>": {
//         "origin": "manifests/fs.json", "version"?: "1.2.0",
//         "instructions"?: { "fingerprint": "sha256:…", "text": "…" },
//         "tools": { "<tool name>": { "fingerprint": "sha256:…", "definition": { …pinned fields… } } } } } }
// The definition is stored next to its fingerprint so `verify` can show what changed without the
// old source. On load each fingerprint is recomputed from its definition: a hand-edited lockfile
// whose two disagree is rejected rather than trusted.
//
// Servers and tools are held in Maps: names come from untrusted servers, and a tool called
// `constructor` or `__proto__` must not collide with anything an object inherits.

import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { PortcullisError } from '../core/errors.js';
import {
  decodeJsonBytes,
  formatJsonPath,
  type JsonPath,
  parseJsonText,
  readJsonFileBytes,
} from '../core/json-text.js';
import {
  FINGERPRINT_PATTERN,
  fingerprintDefinition,
  fingerprintInstructions,
  fingerprintTool,
  PINNED_FIELDS,
  type PinnedDefinition,
  pinnedDefinition,
} from './fingerprint.js';
import type { PinnableTool, ToolSnapshot } from './source.js';

export const LOCKFILE_NAME = 'portcullis.lock';
export const LOCKFILE_VERSION = 1;
export const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;
/** Deep enough for any schema the canonicaliser accepts, plus the lockfile's own levels. */
const MAX_LOCKFILE_DEPTH = 300;

export interface LockedTool {
  fingerprint: string;
  definition: PinnedDefinition;
}

export interface LockedInstructions {
  fingerprint: string;
  text: string;
}

export interface LockedServer {
  origin: string;
  version?: string;
  instructions?: LockedInstructions;
  tools: Map<string, LockedTool>;
}

export interface Lockfile {
  lockfileVersion: typeof LOCKFILE_VERSION;
  servers: Map<string, LockedServer>;
}

export type PinStatus = 'pinned' | 'changed' | 'unknown';

export function emptyLockfile(): Lockfile {
  return { lockfileVersion: LOCKFILE_VERSION, servers: new Map() };
}

/** Turns one source's tools into a lockfile entry. Duplicate tool names are an input error. */
export function lockServer(snapshot: ToolSnapshot): LockedServer {
  const tools = new Map<string, LockedTool>();
  for (const tool of snapshot.tools) {
    if (tools.has(tool.name)) {
      throw new PortcullisError(
        'INPUT_INVALID',
        `server ${JSON.stringify(snapshot.serverKey)} lists the tool ${JSON.stringify(tool.name)} twice; a pinned server must name each tool once`,
        { file: tool.location?.file ?? snapshot.origin, line: tool.location?.line },
      );
    }
    const definition = pinnedDefinition(tool);
    tools.set(tool.name, { fingerprint: fingerprintTool(tool), definition });
  }
  const server: LockedServer = { origin: snapshot.origin, tools };
  if (snapshot.version !== undefined) server.version = snapshot.version;
  if (snapshot.instructions !== undefined) {
    server.instructions = {
      fingerprint: fingerprintInstructions(snapshot.instructions),
      text: snapshot.instructions,
    };
  }
  return server;
}

/**
 * Whether a tool a server lists now is the one pinned: `unknown` when the server or tool is not in
 * the lockfile, `changed` when its fingerprint differs (or it cannot be fingerprinted at all).
 */
export function checkTool(lock: Lockfile, serverKey: string, tool: PinnableTool): PinStatus {
  const pinned = lock.servers.get(serverKey)?.tools.get(tool.name);
  if (!pinned) return 'unknown';
  let actual: string;
  try {
    actual = fingerprintTool(tool);
  } catch {
    return 'changed'; // pinned definitions are always fingerprintable, so this one is not the same
  }
  return actual === pinned.fingerprint ? 'pinned' : 'changed';
}

/** Same check for a server's instructions. `unknown` when the server is not pinned. */
export function checkInstructions(
  lock: Lockfile,
  serverKey: string,
  instructions: string | undefined,
): PinStatus {
  const server = lock.servers.get(serverKey);
  if (!server) return 'unknown';
  if (instructions === undefined || server.instructions === undefined) {
    return instructions === undefined && server.instructions === undefined ? 'pinned' : 'changed';
  }
  try {
    return fingerprintInstructions(instructions) === server.instructions.fingerprint ? 'pinned' : 'changed';
  } catch {
    return 'changed';
  }
}

// ---------------------------------------------------------------- serialising

function sortedKeys(record: object): string[] {
  return Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Pretty JSON with keys sorted by UTF-16 code units at every level. */
export function stableStringify(value: unknown, indent = '  ', prefix = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = prefix + indent;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + stableStringify(v, indent, inner)).join(',\n')}\n${prefix}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record).filter((k) => record[k] !== undefined);
  if (keys.length === 0) return '{}';
  const body = keys.map((k) => `${inner}${JSON.stringify(k)}: ${stableStringify(record[k], indent, inner)}`);
  return `{\n${body.join(',\n')}\n${prefix}}`;
}

function mapToObject<V, R>(map: Map<string, V>, convert: (v: V) => R): Record<string, R> {
  const out: Record<string, R> = {};
  for (const [key, value] of map) {
    Object.defineProperty(out, key, {
      value: convert(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

export function serializeLockfile(lock: Lockfile): string {
  const plain = {
    lockfileVersion: lock.lockfileVersion,
    servers: mapToObject(lock.servers, (s) => ({
      origin: s.origin,
      version: s.version,
      instructions: s.instructions,
      tools: mapToObject(s.tools, (t) => ({ fingerprint: t.fingerprint, definition: t.definition })),
    })),
  };
  return `${stableStringify(plain)}\n`;
}

/** Writes atomically (temporary file + rename) so an interrupted run never leaves half a lockfile. */
export function writeLockfile(path: string, lock: Lockfile): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, serializeLockfile(lock), { flag: 'w' });
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw new PortcullisError('INPUT_INVALID', `cannot write the lockfile: ${(err as Error).message}`, {
      file: path,
    });
  }
}

// ---------------------------------------------------------------- parsing

const InstructionsSchema = z.strictObject({
  fingerprint: z.string().regex(FINGERPRINT_PATTERN),
  text: z.string(),
});
const ServerSchema = z.strictObject({
  origin: z.string(),
  version: z.string().optional(),
  instructions: InstructionsSchema.optional(),
  tools: z.unknown(),
});
const ToolSchema = z.strictObject({
  fingerprint: z.string().regex(FINGERPRINT_PATTERN),
  definition: z.unknown(),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reads and strictly validates lockfile text. Errors carry the line and field path. */
export function parseLockfile(text: string, file: string): Lockfile {
  const parsed = parseJsonText(text, { file, code: 'LOCK_INVALID', maxDepth: MAX_LOCKFILE_DEPTH });
  const fail = (message: string, path: JsonPath): never => {
    const { line } = parsed.locate(path);
    throw new PortcullisError('LOCK_INVALID', message, { file, line, field: formatJsonPath(path) });
  };
  const check = <T>(schema: z.ZodType<T>, value: unknown, path: JsonPath): T => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const at = [...path, ...(issue.path as (string | number)[])];
    return fail(issue.message, at);
  };

  const root = parsed.value;
  if (!isRecord(root)) return fail('a lockfile is a JSON object', []);
  const version = root.lockfileVersion;
  if (typeof version === 'number' && version > LOCKFILE_VERSION) {
    fail(`lockfile version ${version} is newer than this portcullis understands (${LOCKFILE_VERSION})`, [
      'lockfileVersion',
    ]);
  }
  if (version !== LOCKFILE_VERSION)
    fail(`expected "lockfileVersion": ${LOCKFILE_VERSION}`, ['lockfileVersion']);
  for (const key of Object.keys(root)) {
    if (key !== 'lockfileVersion' && key !== 'servers') fail(`unknown field ${JSON.stringify(key)}`, [key]);
  }
  if (!isRecord(root.servers)) return fail('"servers" must be an object', ['servers']);

  const lock = emptyLockfile();
  for (const serverKey of Object.keys(root.servers)) {
    const serverPath = ['servers', serverKey];
    const raw = check(ServerSchema, root.servers[serverKey], serverPath);
    const server: LockedServer = { origin: raw.origin, tools: new Map() };
    if (raw.version !== undefined) server.version = raw.version;
    if (raw.instructions) {
      let actual: string | undefined;
      try {
        actual = fingerprintInstructions(raw.instructions.text);
      } catch (err) {
        fail(`instructions cannot be fingerprinted: ${(err as Error).message}`, [
          ...serverPath,
          'instructions',
          'text',
        ]);
      }
      if (actual !== raw.instructions.fingerprint) {
        fail('instructions fingerprint does not match the pinned text (was the lockfile edited?)', [
          ...serverPath,
          'instructions',
          'fingerprint',
        ]);
      }
      server.instructions = raw.instructions;
    }
    if (!isRecord(raw.tools)) return fail('"tools" must be an object', [...serverPath, 'tools']);
    for (const name of Object.keys(raw.tools)) {
      const toolPath = [...serverPath, 'tools', name];
      const entry = check(ToolSchema, raw.tools[name], toolPath);
      const definition = checkDefinition(entry.definition, name, [...toolPath, 'definition'], fail);
      let actual: string | undefined;
      try {
        actual = fingerprintDefinition(definition);
      } catch (err) {
        fail(`definition cannot be fingerprinted: ${(err as Error).message}`, [...toolPath, 'definition']);
      }
      if (actual !== entry.fingerprint) {
        fail('fingerprint does not match the pinned definition (was the lockfile edited?)', [
          ...toolPath,
          'fingerprint',
        ]);
      }
      server.tools.set(name, { fingerprint: entry.fingerprint, definition });
    }
    lock.servers.set(serverKey, server);
  }
  return lock;
}

function checkDefinition(
  value: unknown,
  name: string,
  path: JsonPath,
  fail: (message: string, path: JsonPath) => never,
): PinnedDefinition {
  if (!isRecord(value)) return fail('"definition" must be an object', path);
  const allowed = new Set<string>(PINNED_FIELDS);
  for (const key of Object.keys(value)) {
    if (!allowed.has(key))
      fail(`unknown field ${JSON.stringify(key)} in a pinned definition`, [...path, key]);
  }
  if (value.name !== name) {
    fail(`definition name must equal its key ${JSON.stringify(name)}`, [...path, 'name']);
  }
  return value as PinnedDefinition;
}

/** Reads a lockfile's exact bytes (signatures are checked over these), with a size cap. */
export function readLockfileBytes(path: string): Uint8Array {
  return readJsonFileBytes(path, {
    what: 'lockfile',
    maxBytes: MAX_LOCKFILE_BYTES,
    tooLargeCode: 'LOCK_INVALID',
    missingHint: ' (create it with `portcullis pin`)',
  });
}

export function parseLockfileBytes(bytes: Uint8Array, file: string): Lockfile {
  return parseLockfile(decodeJsonBytes(bytes, file, 'LOCK_INVALID'), file);
}

export function loadLockfile(path: string): Lockfile {
  return parseLockfileBytes(readLockfileBytes(path), path);
}
