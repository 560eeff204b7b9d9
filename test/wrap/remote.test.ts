// Remote entries under `portcullis wrap`: which are put behind `proxy --upstream` and which are
// left alone or refused (with the reason), idempotency, and undo — byte for byte from the backup,
// and in place (spelling from the manifest, or the client's usual one) when the file changed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyText } from '../../src/guard/index.js';
import { readNamedConfigFile } from '../../src/scan/configs/read.js';
import { manifestPath, undoWrap, wrapConfig } from '../../src/wrap/index.js';
import { ensureBuilt, node, runDist } from '../proxy/helpers.js';

const launcher = { node: '/usr/bin/node', script: '/opt/portcullis/bin/portcullis.js' };

/** Writes `text` at `rel` in a fresh folder; returns the file and the wrap options. */
function config(rel: string, text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pc-wrap-remote-'));
  const file = join(dir, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return { file, options: { policyDir: join(dir, 'p'), auditDir: join(dir, 'a'), launcher } };
}

const VSCODE = `{
  "servers": {
    // streamable
    "api": { "type": "http", "url": "https://api.example.com/mcp" },
    "legacy": { "type": "sse", "url": "https://old.example.com/events" },
    "authed": {
      "type": "http",
      "url": "https://private.example.com/mcp",
      "headers": { "Authorization": "Bearer \${input:token}" }
    },
    "templated": { "type": "http", "url": "https://\${input:host}/mcp" },
    "ws": { "type": "http", "url": "ws://socket.example.com/mcp" },
  },
}
`;

describe('wrap on remote entries', () => {
  it('wraps Streamable HTTP, leaves SSE alone and refuses what it cannot carry, each with its reason', () => {
    const { file, options } = config('.vscode/mcp.json', VSCODE);
    const r = wrapConfig(file, options);
    const by = Object.fromEntries(r.servers.map((s) => [s.name, s]));
    expect(by.api?.status).toBe('wrapped');
    expect(by.legacy).toMatchObject({ status: 'remote', url: 'https://old.example.com/events' });
    expect(by.legacy?.status === 'remote' && by.legacy.reason).toMatch(/legacy SSE/);
    expect(by.authed).toEqual({
      name: 'authed',
      status: 'skipped',
      reason:
        "has headers (Authorization); the proxy can send them instead: remove them and add to the server's policy: " +
        'servers: { "authed": { tools: { "*": { credentials: [{ from: { env: AUTHED_AUTHORIZATION }, inject: { header: "Authorization", prefix: "Bearer " } }] } } } }, ' +
        "with AUTHED_AUTHORIZATION set to the secret in the proxy's environment (or from: { file: PATH } of a 0600 file)",
    });
    // The snippet is a policy as written, and it carries no header value.
    const reason = by.authed?.status === 'skipped' ? by.authed.reason : '';
    const snippet = /policy: (servers: .*\} \} \} \}), with/.exec(reason)?.[1] ?? '';
    const compiled = loadPolicyText(`version: 1\n${snippet}\n`, 'snippet.yaml');
    expect(compiled.rules.flatMap((r) => r.credentials)).toEqual([
      { from: { env: 'AUTHED_AUTHORIZATION' }, inject: { header: 'Authorization', prefix: 'Bearer ' } },
    ]);
    expect(reason).not.toContain('input:token');
    expect(by.templated?.status === 'skipped' && by.templated.reason).toMatch(/variables/);
    expect(by.ws?.status === 'skipped' && by.ws.reason).toMatch(/not http\(s\)/);
    const text = readFileSync(file, 'utf8');
    // Only the api entry changed: the others (their headers included) are byte for byte as they were.
    expect(text).toContain(`"Authorization": "Bearer \${input:token}"`);
    expect(text).toContain('"legacy": { "type": "sse", "url": "https://old.example.com/events" }');
    const api = readNamedConfigFile(file, file).servers.find((s) => s.name === 'api');
    expect(api).toMatchObject({ transport: 'stdio', command: launcher.node });
    expect(api?.args?.slice(-2)).toEqual(['--upstream', 'https://api.example.com/mcp']);
    const manifest = JSON.parse(readFileSync(manifestPath(file), 'utf8')) as { remote?: unknown };
    expect(manifest.remote).toEqual([{ name: 'api', key: 'url', typeText: '"http"' }]);
  });

  it('is idempotent on a wrapped remote entry and undoes it byte for byte', () => {
    const original = '{"mcpServers":{"remote":{"url":"https://r.example.com/mcp"}}}';
    const { file, options } = config('.cursor/mcp.json', original);
    expect(wrapConfig(file, options).changed).toBe(true);
    const wrapped = readFileSync(file);
    expect(wrapped.toString()).toContain('"--upstream", "https://r.example.com/mcp"]');
    const again = wrapConfig(file, options);
    expect(again.changed).toBe(false);
    expect(again.servers).toEqual([{ name: 'remote', status: 'already-wrapped' }]);
    expect(readFileSync(file)).toEqual(wrapped);
    undoWrap(file);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('undoes in place after the file changed, spelling the URL and type as the manifest recorded', () => {
    const original = [
      'mcpServers:',
      '  - name: Remote',
      '    type: streamable-http   # the hosted one',
      '    url: https://mcp.example.net/mcp',
      '',
    ].join('\n');
    const { file, options } = config('.continue/config.yaml', original);
    wrapConfig(file, options);
    writeFileSync(file, `# edited later\n${readFileSync(file, 'utf8')}`);
    const r = undoWrap(file);
    expect(r.servers).toEqual([{ name: 'Remote', status: 'unwrapped' }]);
    // Everything as it was (the comment after the type included); only the URL comes back quoted.
    const back = original.replace('url: https://mcp.example.net/mcp', 'url: "https://mcp.example.net/mcp"');
    expect(readFileSync(file, 'utf8')).toBe(`# edited later\n${back}`);
  });

  it('without the manifest, undoes in place with the client’s own spelling (Gemini httpUrl)', () => {
    const { file, options } = config(
      '.gemini/settings.json',
      '{\n  "mcpServers": {\n    "h": { "httpUrl": "http://localhost:3000/mcp", "timeout": 5 }\n  }\n}\n',
    );
    wrapConfig(file, options);
    rmSync(manifestPath(file));
    undoWrap(file);
    const [server] = readNamedConfigFile(file, file).servers;
    expect(server).toMatchObject({ name: 'h', transport: 'http', url: 'http://localhost:3000/mcp' });
    expect(readFileSync(file, 'utf8')).toContain('"httpUrl": "http://localhost:3000/mcp", "timeout": 5');
  });

  it('says on the command line why a remote entry was not wrapped', () => {
    const { file, options } = config('.vscode/mcp.json', VSCODE);
    ensureBuilt();
    const r = spawnSync(
      node,
      [
        runDist,
        'wrap',
        file,
        '--dry-run',
        '--policy-dir',
        options.policyDir,
        '--audit-dir',
        options.auditDir,
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'authed: skipped (has headers (Authorization); the proxy can send them instead',
    );
    expect(r.stdout).toMatch(
      /legacy: remote server \(https:\/\/old\.example\.com\/events\) left as it is, not guarded: a legacy SSE server/,
    );
    expect(r.stdout).toMatch(/api: would be wrapped/);
    expect(readFileSync(file, 'utf8')).toBe(VSCODE);
  }, 300_000);
});

describe('wrap on remote entries in other layouts', () => {
  const cases: { rel: string; text: string; name: string; url: string }[] = [
    {
      rel: '.continue/config.yaml',
      text: 'mcpServers:\n  - url: https://a.example.com/mcp # first key of the item\n    name: A\n  - { name: B, type: streamable-http, url: "https://b.example.com/mcp" }\n',
      name: 'A',
      url: 'https://a.example.com/mcp',
    },
    {
      rel: '.continue/config.json',
      text: '{\n  "experimental": {\n    "modelContextProtocolServers": [\n      { "transport": { "type": "streamable-http", "url": "https://c.example.com/mcp" } }\n    ]\n  }\n}\n',
      name: '#1',
      url: 'https://c.example.com/mcp',
    },
  ];
  for (const c of cases)
    it(`wraps ${c.rel} into a valid config and undoes it (in place too)`, () => {
      const { file, options } = config(c.rel, c.text);
      const r = wrapConfig(file, options);
      expect(r.servers.filter((s) => s.status !== 'wrapped')).toEqual([]);
      const read = readNamedConfigFile(file, file);
      expect(read.errors).toEqual([]);
      const server = read.servers.find((s) => s.name === c.name);
      expect(server).toMatchObject({ transport: 'stdio', command: launcher.node });
      expect(server?.args?.slice(-2)).toEqual(['--upstream', c.url]);
      expect(wrapConfig(file, options).changed).toBe(false);
      // In place (the file changed since): every server reads back as it was before wrapping.
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n`);
      undoWrap(file);
      const undone = readNamedConfigFile(file, file);
      expect(undone.errors).toEqual([]);
      const original = config(c.rel, c.text).file;
      const strip = (f: string) =>
        readNamedConfigFile(f, f).servers.map(({ line: _l, fieldLines: _f, configFile: _c, ...s }) => s);
      expect(strip(file)).toEqual(strip(original));
    });
});
