// False positives on real servers: the 36 pinned npm MCP server packages (bench/.data/npm-servers,
// fetched by bench/scan/corpus.js), scanned as the scanner finds their tools. Slow (about two
// minutes), so it runs only when asked: PORTCULLIS_REAL_SERVERS=1 npx vitest run test/scan/poison/real-servers.test.ts

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atLeast } from '../../../src/core/types.js';
import { scanPaths } from '../../../src/scan/scan.js';
import { POISON_RULES } from './dataset.js';

const enabled = process.env.PORTCULLIS_REAL_SERVERS === '1';

describe.skipIf(!enabled)('real MCP servers', () => {
  it('at most 1% of their tools get a high finding from the poisoning rules', async () => {
    const root = new URL('../../../bench/.data/npm-servers/', import.meta.url).pathname;
    const servers = existsSync(root)
      ? readdirSync(root)
          .filter((n) => !n.startsWith('.'))
          .sort()
          .map((n) => ({ name: n, dir: join(root, n, 'package') }))
          .filter((s) => existsSync(s.dir))
      : [];
    expect(servers.length).toBeGreaterThan(0);
    let tools = 0;
    const high: string[] = [];
    const any: string[] = [];
    for (const s of servers) {
      const r = await scanPaths([s.dir], { rules: POISON_RULES });
      tools += r.tools.length;
      for (const f of r.findings) {
        any.push(`${f.severity} ${f.rule} ${f.tool}: ${f.message}`);
        if (atLeast(f.severity, 'high')) high.push(`${f.rule} ${f.tool}: ${f.message}`);
      }
    }
    process.stdout.write(
      `real servers: ${servers.length} packages, ${tools} tools, ${high.length} high findings, ${any.length} findings\n${any.join('\n')}\n`,
    );
    expect(high.length / Math.max(1, tools)).toBeLessThanOrEqual(0.01);
  }, 900_000);
});
