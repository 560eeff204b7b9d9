#!/usr/bin/env node
// bench/manifests: how fast `portcullis scan` judges tool lists (MCP tools/list manifests) with the
// poisoning rules. The tools are the real npm servers' tool definitions as the scanner reads them
// from source (names, descriptions, parameter schemas), written out as one tools/list per server.
// Target (issue 3): the 36 servers' tool lists in well under a second. Baseline measured in the same
// run: reading and parsing the same manifest files (JSON.parse), so the ratio is what judging costs.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPaths } from '../../dist/scan/scan.js';
import { npmServers } from '../scan/corpus.js';

const fixtures = new URL('../../test/fixtures/manifests/poison/', import.meta.url).pathname;

function schemaOf(parameters) {
  const properties = {};
  for (const p of parameters ?? [])
    properties[p.name] = {
      ...(p.type ? { type: p.type } : {}),
      ...(p.description ? { description: p.description } : {}),
    };
  return {
    type: 'object',
    properties,
    required: (parameters ?? []).filter((p) => p.required).map((p) => p.name),
  };
}

async function realManifests(dir) {
  const out = [];
  for (const { name, dir: pkg } of npmServers()) {
    const r = await scanPaths([pkg], { cwd: pkg });
    const tools = r.tools.map((t) => ({
      name: t.name,
      description: t.description,
      inputSchema: t.inputSchema ?? schemaOf(t.parameters),
    }));
    if (tools.length === 0) continue;
    const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '_')}.json`);
    writeFileSync(file, JSON.stringify({ server: { name }, tools }));
    out.push(file);
  }
  return out;
}

function fixtureManifests() {
  return ['poisoned', 'benign'].flatMap((g) =>
    readdirSync(join(fixtures, g))
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(fixtures, g, f)),
  );
}

async function time(label, files, runs = 3) {
  let tools = 0;
  for (const f of files) tools += JSON.parse(readFileSync(f, 'utf8')).tools.length;
  let best = Number.POSITIVE_INFINITY;
  let baseline = Number.POSITIVE_INFINITY;
  let highs = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (const f of files) JSON.parse(readFileSync(f, 'utf8'));
    baseline = Math.min(baseline, performance.now() - t0);
    const t1 = performance.now();
    const r = await scanPaths(files, { cwd: tmpdir() });
    best = Math.min(best, performance.now() - t1);
    highs = new Set(
      r.findings.filter((x) => x.severity === 'high' || x.severity === 'critical').map((x) => x.tool),
    ).size;
  }
  console.log(
    `${label}: ${tools} tools in ${files.length} manifests: ${best.toFixed(0)} ms (${Math.round((tools / best) * 1000)} tools/s); ` +
      `JSON.parse baseline ${baseline.toFixed(1)} ms (x${(best / Math.max(baseline, 0.01)).toFixed(0)}); tools with a high finding: ${highs}`,
  );
  return best;
}

const dir = mkdtempSync(join(tmpdir(), 'pc-bench-manifests-'));
try {
  await time('labelled poisoning set', fixtureManifests());
  const real = await realManifests(dir);
  if (real.length === 0)
    console.log('real servers: not available (../shared/corpus/fetch-npm-servers.sh needs the npm registry)');
  else {
    const ms = await time('real npm servers', real);
    console.log(`target: the real servers' tool lists well under 1000 ms — took ${ms.toFixed(0)} ms`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
