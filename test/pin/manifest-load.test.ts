import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import {
  isManifestText,
  loadManifest,
  MAX_MANIFEST_BYTES,
  manifestToolSource,
  parseManifest,
} from '../../src/scan/manifest/load.js';

const fixtures = new URL('../fixtures/manifests/', import.meta.url).pathname;

function errorOf(fn: () => unknown): PortcullisError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PortcullisError);
    return err as PortcullisError;
  }
  throw new Error('expected an error');
}

describe('loadManifest: the accepted shapes', () => {
  it('reads { server, tools } with server info, instructions and each tool line', () => {
    const m = loadManifest(join(fixtures, 'filesystem.json'));
    expect(m.server).toEqual({
      name: 'filesystem',
      version: '2025.7.1',
      instructions: expect.stringContaining('list_allowed_directories first'),
    });
    expect(m.tools.map((t) => [t.name, t.line])).toEqual([
      ['read_text_file', 9],
      ['write_file', 26],
      ['list_directory', 42],
      ['list_allowed_directories', 55],
    ]);
    expect(m.tools[0]!.annotations).toEqual({ readOnlyHint: true });
    expect(m.tools[0]!.title).toBe('Read text file');
  });

  it('reads a captured JSON-RPC response', () => {
    const m = loadManifest(join(fixtures, 'memory-jsonrpc.json'));
    expect(m.server).toBeUndefined();
    expect(m.tools.map((t) => t.name)).toEqual(['create_entities', 'read_graph', 'search_nodes']);
    expect(m.tools.every((t) => t.line === 1)).toBe(true);
  });

  it('reads a bare array of tools and { tools } with outputSchema', () => {
    expect(loadManifest(join(fixtures, 'fetch-bare.json')).tools[0]!.name).toBe('fetch');
    const time = loadManifest(join(fixtures, 'time-unnamed.json'));
    expect(time.tools[0]!.outputSchema).toMatchObject({ required: ['timezone', 'datetime', 'is_dst'] });
  });

  it('keeps keys such as __proto__ and constructor as data', () => {
    const m = parseManifest(
      '{"tools":[{"name":"constructor","inputSchema":{"type":"object","properties":{"__proto__":{"type":"string"}}}}]}',
      'x.json',
    );
    const props = m.tools[0]!.inputSchema!.properties as Record<string, unknown>;
    expect(Object.hasOwn(props, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
  });
});

describe('loadManifest: malformed input gives file, line and field', () => {
  it('names the tool without a name', () => {
    const err = errorOf(() => loadManifest(join(fixtures, 'malformed/missing-name.json')));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.location).toMatchObject({ line: 6, field: 'tools[3].name' });
    expect(err.format()).toMatch(/missing-name\.json:6:\d+: .*name.*\(at tools\[3\]\.name\)/);
  });

  it('reports a syntax error at its line', () => {
    const err = errorOf(() => loadManifest(join(fixtures, 'malformed/trailing-comma.json')));
    expect(err.location?.line).toBe(5);
    expect(err.message).toMatch(/invalid JSON: unexpected character '}', expected a key/);
  });

  it('rejects a non-object inputSchema at its key', () => {
    const err = errorOf(() => loadManifest(join(fixtures, 'malformed/schema-not-object.json')));
    expect(err.location).toMatchObject({ line: 1, field: 'tools[0].inputSchema' });
    expect(err.message).toMatch(/expected a JSON object/);
  });

  it('rejects duplicate keys, which different parsers resolve differently', () => {
    const err = errorOf(() => loadManifest(join(fixtures, 'malformed/duplicate-key.json')));
    expect(err.location?.line).toBe(3);
    expect(err.message).toMatch(/duplicate key "description"/);
  });

  it('explains a JSON-RPC error response', () => {
    const err = errorOf(() => loadManifest(join(fixtures, 'malformed/jsonrpc-error.json')));
    expect(err.message).toMatch(/JSON-RPC error response: Method not found/);
  });

  it.each([
    ['a string', '"tools"', /JSON object or array/],
    ['no tools', '{"server":{"name":"x"}}', /no "tools" array/],
    ['tools not an array', '{"tools":{}}', /"tools" must be an array/],
    ['a tool that is a number', '{"tools":[1]}', /a tool must be a JSON object/],
    ['an empty name', '{"tools":[{"name":""}]}', /tool name is empty/],
    ['a numeric description', '{"tools":[{"name":"a","description":7}]}', /expected string/],
    ['server name not a string', '{"server":{"name":3},"tools":[]}', /expected string/],
    ['an empty file', '  \n', /empty document/],
    ['garbage after the value', '{"tools":[]} x', /after the JSON value/],
    ['an unterminated string', '{"tools":[{"name":"a', /unterminated string/],
    ['a raw control character', '{"tools":[{"name":"a\tb"}]}', /control character/],
    ['a bad escape', '{"tools":[{"name":"\\x"}]}', /invalid escape/],
    ['a bad number', '{"tools":[{"name":"a","inputSchema":{"maximum":01}}]}', /unexpected character '1'/],
    ['NaN', '{"tools":[NaN]}', /expected a JSON value/],
  ])('rejects %s', (_what, text, message) => {
    const err = errorOf(() => parseManifest(text, 'm.json'));
    expect(err.location?.file).toBe('m.json');
    expect(err.location?.line).toBeGreaterThanOrEqual(1);
    expect(err.message).toMatch(message);
  });

  it('caps nesting depth with a clear error instead of overflowing the stack', () => {
    const deep = `{"tools":[{"name":"a","inputSchema":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}]}`;
    const err = errorOf(() => parseManifest(deep, 'deep.json'));
    expect(err.message).toMatch(/nesting deeper than 64 levels/);
  });

  it('refuses binary files and files over the size cap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-manifest-'));
    writeFileSync(join(dir, 'bin.json'), Buffer.from([0x7b, 0x00, 0xff, 0xfe]));
    expect(errorOf(() => loadManifest(join(dir, 'bin.json'))).message).toMatch(/not a text file/);
    writeFileSync(join(dir, 'latin1.json'), Buffer.from([0x7b, 0xe9, 0x7d]));
    expect(errorOf(() => loadManifest(join(dir, 'latin1.json'))).message).toMatch(/not a UTF-8 text file/);
    expect(errorOf(() => parseManifest(' '.repeat(MAX_MANIFEST_BYTES + 1), 'big.json')).message).toMatch(
      /larger than/,
    );
    expect(errorOf(() => loadManifest(join(dir, 'missing.json'))).code).toBe('INPUT_NOT_FOUND');
    expect(errorOf(() => loadManifest(dir)).message).toMatch(/not a regular file/);
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(parseManifest('\ufeff{"tools":[{"name":"a"}]}', 'bom.json').tools).toHaveLength(1);
  });
});

describe('isManifestText', () => {
  it('recognises the manifest shapes', () => {
    expect(isManifestText('{"tools": [ ]}')).toBe(true);
    expect(isManifestText('\n  {"server": {"name": "x"},\n "tools"\n:\n[{"name":"a"}]}')).toBe(true);
    expect(isManifestText('{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}')).toBe(true);
    expect(isManifestText('[{"name":"a","inputSchema":{"type":"object"}}]')).toBe(true);
    expect(isManifestText('[{"inputSchema":{"properties":{"name":{}}},"name":"a"}]')).toBe(true);
    expect(isManifestText('{"server":{"name":"x","tools":"n/a"},"description":"\\"","tools":[]}')).toBe(true);
  });

  it('recognises every fixture manifest', () => {
    for (const name of [
      'filesystem.json',
      'filesystem-rugpull.json',
      'memory-jsonrpc.json',
      'fetch-bare.json',
      'time-unnamed.json',
    ]) {
      expect(isManifestText(readFileSync(join(fixtures, name), 'utf8')), name).toBe(true);
    }
  });

  it('does not claim other JSON', () => {
    expect(isManifestText('{"name":"pkg","version":"1.0.0","dependencies":{}}')).toBe(false);
    expect(isManifestText('{"mcpServers":{"fs":{"command":"npx"}}}')).toBe(false);
    expect(isManifestText('{"description":"mentions \\"tools\\" in text"}')).toBe(false);
    expect(isManifestText('[1,2,3]')).toBe(false);
    expect(isManifestText('tools: []')).toBe(false);
    // "tools" nested below the top level, or inside a string, is not a manifest
    expect(isManifestText('{"profiles":{"default":{"tools":["a","b"]}}}')).toBe(false);
    expect(isManifestText('{"note":"\\"tools\\": [ here","x":{"tools":[]}}')).toBe(false);
    expect(isManifestText('{"tools":"all"}')).toBe(false);
    // a bare array whose first element is not a tool
    expect(isManifestText('[{"name":"a","version":"1"},{"name":"b","inputSchema":{}}]')).toBe(false);
  });
});

describe('manifestToolSource', () => {
  it('accepts explicit nulls, keeps them out of the typed fields, and pins them as null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-manifest-'));
    const file = join(dir, 'nulls.json');
    writeFileSync(file, '{"tools":[{"name":"a","title":null,"description":"d","outputSchema":null}]}');
    const tool = loadManifest(file).tools[0]!;
    expect(tool).toEqual({ name: 'a', description: 'd', line: 1, nulls: ['title', 'outputSchema'] });
    const pinned = (await manifestToolSource(file, dir).load()).tools[0]!;
    expect(pinned).toEqual({
      name: 'a',
      title: null,
      description: 'd',
      outputSchema: null,
      location: { file: 'nulls.json', line: 1 },
    });
  });

  it('refuses to pin one page of a paginated list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-manifest-'));
    const page = join(dir, 'page.json');
    writeFileSync(page, '{"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"a"}],"nextCursor":"p2"}}');
    expect(parseManifest(readFileSync(page, 'utf8'), 'page.json').nextCursor).toBe('p2');
    await expect(manifestToolSource(page).load()).rejects.toThrow(/one page of a paginated tools\/list/);
    expect(parseManifest('{"tools":[],"nextCursor":""}', 'x').nextCursor).toBeUndefined();
  });

  it('keys a server by its declared name, else by the path relative to the working directory', async () => {
    const named = await manifestToolSource(join(fixtures, 'filesystem.json'), fixtures).load();
    expect(named.serverKey).toBe('filesystem');
    expect(named.origin).toBe('filesystem.json');
    expect(named.version).toBe('2025.7.1');
    expect(named.tools[1]!.location).toEqual({ file: 'filesystem.json', line: 26 });
    const unnamed = await manifestToolSource(
      join(fixtures, 'time-unnamed.json'),
      join(fixtures, '..'),
    ).load();
    expect(unnamed.serverKey).toBe('manifests/time-unnamed.json');
    expect(unnamed.instructions).toBeUndefined();
  });
});
