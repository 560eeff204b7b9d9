// Turns one server entry of a client config into a ConfigServer. Clients spell the same things
// differently (Windsurf `serverUrl`, Gemini `httpUrl`, Zed `command: { path, args }`, Continue
// `requestOptions.headers`); this is the one place that knows the spellings.

import type { ConfigClient, ConfigServer, ServerTransport } from './types.js';

export type DocPath = readonly (string | number)[];

/** A parsed config document that can say on which line a value sits. */
export interface ConfigDocument {
  value: unknown;
  lineOf(path: DocPath): number;
}

export interface EntryProblem {
  path: DocPath;
  message: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const TRANSPORT_NAMES: Record<string, ServerTransport> = {
  stdio: 'stdio',
  local: 'stdio',
  http: 'http',
  'streamable-http': 'http',
  streamablehttp: 'http',
  streamable_http: 'http',
  remote: 'http',
  sse: 'sse',
};

function scalarString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

interface EntryContext {
  client: ConfigClient;
  configFile: string;
  doc: ConfigDocument;
  /** Path of the entry in the document. */
  path: DocPath;
  name: string;
  problems: EntryProblem[];
}

function readStringArray(
  ctx: EntryContext,
  value: unknown,
  at: DocPath,
  field: string,
  out: ConfigServer,
): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    ctx.problems.push({ path: at, message: `"${field}" must be an array of strings` });
    return;
  }
  const args: string[] = [];
  value.forEach((item, i) => {
    const s = scalarString(item);
    if (s === undefined) ctx.problems.push({ path: [...at, i], message: `"${field}[${i}]" is not a string` });
    else {
      out.fieldLines[`args[${args.length}]`] = ctx.doc.lineOf([...at, i]);
      args.push(s);
    }
  });
  out.args = args;
}

function readStringMap(
  ctx: EntryContext,
  value: unknown,
  at: DocPath,
  field: 'env' | 'headers',
  out: ConfigServer,
): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) {
    ctx.problems.push({ path: at, message: `"${field}" must be an object of strings` });
    return;
  }
  const map: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const s = scalarString(v);
    if (s === undefined) {
      ctx.problems.push({ path: [...at, key], message: `"${field}.${key}" is not a string` });
      continue;
    }
    Object.defineProperty(map, key, { value: s, enumerable: true, writable: true, configurable: true });
    out.fieldLines[`${field}.${key}`] = ctx.doc.lineOf([...at, key]);
  }
  out[field] = map;
}

/**
 * Reads one entry. Returns undefined (with a problem recorded) when the entry names neither a
 * command nor a URL — there is nothing to check or to start.
 */
export function readServerEntry(ctx: EntryContext, raw: unknown): ConfigServer | undefined {
  const { doc, path } = ctx;
  if (!isRecord(raw)) {
    ctx.problems.push({ path, message: `server "${ctx.name}" must be an object` });
    return undefined;
  }
  const server: ConfigServer = {
    client: ctx.client,
    configFile: ctx.configFile,
    name: ctx.name,
    transport: 'stdio',
    line: doc.lineOf(path),
    fieldLines: {},
  };

  // Continue's config.json nests the launch line under `transport`.
  let body: Record<string, unknown> = raw;
  let bodyPath: DocPath = path;
  if (isRecord(raw.transport)) {
    body = raw.transport;
    bodyPath = [...path, 'transport'];
  }

  let command: unknown = body.command;
  let commandPath: DocPath = [...bodyPath, 'command'];
  let argsValue: unknown = body.args;
  let argsPath: DocPath = [...bodyPath, 'args'];
  let envValue: unknown = body.env;
  let envPath: DocPath = [...bodyPath, 'env'];
  // Zed's older form: "command": { "path": "...", "args": [...], "env": {...} }.
  if (isRecord(command)) {
    const nested = command;
    const nestedPath = commandPath;
    command = nested.path;
    commandPath = [...nestedPath, 'path'];
    if (nested.args !== undefined) {
      argsValue = nested.args;
      argsPath = [...nestedPath, 'args'];
    }
    if (nested.env !== undefined) {
      envValue = nested.env;
      envPath = [...nestedPath, 'env'];
    }
  }

  if (command !== undefined && command !== null) {
    if (typeof command !== 'string' || command.trim() === '') {
      ctx.problems.push({
        path: commandPath,
        message: `"command" of server "${ctx.name}" must be a non-empty string`,
      });
    } else {
      server.command = command;
      server.fieldLines.command = doc.lineOf(commandPath);
    }
  }
  readStringArray(ctx, argsValue, argsPath, 'args', server);
  readStringMap(ctx, envValue, envPath, 'env', server);
  if (typeof body.cwd === 'string') {
    server.cwd = body.cwd;
    server.fieldLines.cwd = doc.lineOf([...bodyPath, 'cwd']);
  }

  // URL spellings, in order of preference. Gemini: `httpUrl` is Streamable HTTP, `url` is SSE.
  let urlKey: string | undefined;
  for (const key of ['url', 'serverUrl', 'httpUrl']) {
    if (typeof body[key] === 'string' && (body[key] as string) !== '') {
      urlKey = key;
      break;
    }
  }
  if (urlKey === 'url' && typeof body.httpUrl === 'string') urlKey = 'httpUrl';
  if (urlKey) {
    server.url = body[urlKey] as string;
    server.fieldLines.url = doc.lineOf([...bodyPath, urlKey]);
  }
  const requestOptions = isRecord(body.requestOptions) ? body.requestOptions : undefined;
  if (body.headers !== undefined)
    readStringMap(ctx, body.headers, [...bodyPath, 'headers'], 'headers', server);
  else if (requestOptions?.headers !== undefined)
    readStringMap(ctx, requestOptions.headers, [...bodyPath, 'requestOptions', 'headers'], 'headers', server);

  const declared = typeof body.type === 'string' ? TRANSPORT_NAMES[body.type.toLowerCase()] : undefined;
  if (typeof body.type === 'string' && !declared) {
    ctx.problems.push({ path: [...bodyPath, 'type'], message: `unknown transport type "${body.type}"` });
  }
  if (server.url && !server.command) {
    if (declared && declared !== 'stdio') server.transport = declared;
    else if (ctx.client === 'gemini-cli') server.transport = urlKey === 'httpUrl' ? 'http' : 'sse';
    else if (/\/sse\/?(?:[?#]|$)/i.test(server.url)) server.transport = 'sse';
    else server.transport = 'http';
  }

  if (!server.command && !server.url) {
    ctx.problems.push({ path, message: `server "${ctx.name}" has neither a "command" nor a "url"` });
    return undefined;
  }
  if (raw.disabled === true || raw.enabled === false) server.disabled = true;
  return server;
}

/** Reads every entry of a `{ name: entry }` map at `path`. */
export function readServerMap(
  base: Omit<EntryContext, 'path' | 'name'>,
  map: unknown,
  path: DocPath,
  extra: Partial<ConfigServer> = {},
): ConfigServer[] {
  if (map === undefined || map === null) return [];
  if (!isRecord(map)) {
    base.problems.push({ path, message: 'the server list must be an object of named entries' });
    return [];
  }
  const servers: ConfigServer[] = [];
  for (const [name, raw] of Object.entries(map)) {
    const server = readServerEntry({ ...base, path: [...path, name], name }, raw);
    if (server) servers.push({ ...server, ...extra });
  }
  return servers;
}

/** Reads every entry of a `[ { name, ... } ]` list at `path` (Continue). */
export function readServerList(
  base: Omit<EntryContext, 'path' | 'name'>,
  list: unknown,
  path: DocPath,
): ConfigServer[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    base.problems.push({ path, message: 'the server list must be an array' });
    return [];
  }
  const servers: ConfigServer[] = [];
  list.forEach((raw, i) => {
    const name = isRecord(raw) && typeof raw.name === 'string' && raw.name !== '' ? raw.name : `#${i + 1}`;
    const server = readServerEntry({ ...base, path: [...path, i], name }, raw);
    if (server) servers.push(server);
  });
  return servers;
}
