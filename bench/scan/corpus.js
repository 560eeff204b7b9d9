// The corpora the scanner benchmarks run on: the real MCP servers pinned in
// ../shared/corpus/npm-mcp-servers.txt (fetched once into bench/.data with the shared script), and a
// generated corpus of tool files in both languages.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = join(repo, 'bench', '.data');

/** Package folders of the real npm servers, fetching them on first use. Empty when unavailable. */
export function npmServers() {
  const dest = join(data, 'npm-servers');
  const script = join(repo, '..', 'shared', 'corpus', 'fetch-npm-servers.sh');
  if (!existsSync(dest) || readdirSync(dest).filter((n) => !n.startsWith('.')).length < 30) {
    if (!existsSync(script)) return [];
    process.stderr.write('fetching the pinned MCP server packages (npm pack, no install scripts)…\n');
    spawnSync('bash', [script, dest], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(dest)) return [];
  return readdirSync(dest)
    .filter((n) => !n.startsWith('.'))
    .sort()
    .map((n) => ({ name: n.replace('__', '/'), dir: join(dest, n, 'package') }))
    .filter((p) => existsSync(p.dir));
}

const PY = (i) => `from mcp.server.fastmcp import FastMCP
import httpx
import os

mcp = FastMCP("gen${i}")
BASE = "https://api.example.com/v" + str(${i % 3})


def helper_${i}(q: str) -> dict:
    params = {"q": q, "n": ${i}}
    r = httpx.get(BASE + "/search", params=params, timeout=10)
    return r.json()


@mcp.tool()
def search_${i}(query: str, limit: int = 10) -> str:
    """Search the example API for a query and return the top results."""
    data = helper_${i}(query)
    items = data.get("items", [])[:limit]
    return "\\n".join(str(x) for x in items)


@mcp.tool()
def read_${i}(path: str) -> str:
    """Read a local text file."""
    with open(os.path.join("/srv/data", path)) as fh:
        return fh.read()
`;

const TS = (i) => `import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { readFile } from 'node:fs/promises';

const server${i} = new McpServer({ name: 'gen${i}', version: '1.0.${i}' });
const BASE = \`https://api.example.com/v\${${i % 3}}\`;

async function lookup${i}(q: string): Promise<unknown> {
  const res = await fetch(\`\${BASE}/lookup?q=\${encodeURIComponent(q)}\`);
  return res.json();
}

server${i}.registerTool(
  'lookup_${i}',
  { description: 'Look up an entry in the example API.', inputSchema: { q: z.string().describe('what to look up') } },
  async ({ q }) => ({ content: [{ type: 'text', text: JSON.stringify(await lookup${i}(q)) }] }),
);

server${i}.tool('file_${i}', 'Read a local file.', { path: z.string() }, async ({ path }) => {
  const text = await readFile(path, 'utf8');
  return { content: [{ type: 'text', text }] };
});
`;

/** A generated tree of `count` Python and `count` TS files (deterministic). */
export function generatedCorpus(count = 400) {
  const dir = join(data, `generated-${count}`);
  if (!existsSync(join(dir, 'done'))) {
    mkdirSync(join(dir, 'py'), { recursive: true });
    mkdirSync(join(dir, 'ts'), { recursive: true });
    for (let i = 0; i < count; i++) {
      writeFileSync(join(dir, 'py', `tool_${i}.py`), PY(i));
      writeFileSync(join(dir, 'ts', `tool_${i}.ts`), TS(i));
    }
    writeFileSync(join(dir, 'done'), '');
  }
  return dir;
}
