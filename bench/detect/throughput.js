// Detector throughput on benign text, in MB/s of UTF-8 input: wall clock and CPU time (CPU time is the
// steadier figure on a shared machine). Runs on dist/ (`npm run bench` builds it first).
import { readFileSync } from 'node:fs';
import { corpusAvailable, corpusPath } from './evaluate.js';

function benignTexts() {
  if (corpusAvailable()) {
    return readFileSync(corpusPath('agentdojo-dev.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((r) => r.label === 'benign')
      .map((r) => r.text);
  }
  const own = readFileSync(new URL('../../test/fixtures/text/benign.jsonl', import.meta.url), 'utf8');
  return own
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).text);
}

function measure(fn, inputs, repeats) {
  const mb = inputs.reduce((s, t) => s + Buffer.byteLength(t), 0) / 1e6;
  for (const t of inputs.slice(0, 50)) fn(t); // warm up the JIT
  let bestWall = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let k = 0; k < repeats; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const t of inputs) fn(t);
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    bestWall = Math.min(bestWall, wall);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
  }
  return { mb, wall: mb / bestWall, cpu: mb / bestCpu };
}

export async function runThroughput(text) {
  const docs = benignTexts();
  let big = docs.join('\n\n');
  while (big.length < 8_000_000) big += `\n\n${big}`;
  big = big.slice(0, 8_000_000);
  // For scale on a busy machine: one bare JavaScript pass over the same characters.
  const baseline = measure(
    (t) => {
      let h = 0;
      for (let i = 0; i < t.length; i++) h = (h + t.charCodeAt(i)) | 0;
      return h;
    },
    [big],
    3,
  );
  const rows = [];
  for (const [name, fn] of [
    ['detectInjection', (t) => text.detectInjection(t)],
    ['scanText (+secrets)', (t) => text.scanText(t)],
  ]) {
    const perDoc = measure(fn, docs, 3);
    const whole = measure(fn, [big], 3);
    rows.push({ name, perDoc, whole });
  }
  return { docs: docs.length, rows, baseline };
}

export function printThroughput(r) {
  process.stdout.write(`throughput on benign tool output (${r.docs} documents, and one 8 MB text)\n`);
  process.stdout.write(
    `  for scale, one bare charCodeAt loop over the 8 MB text: ${r.baseline.wall.toFixed(0)} MB/s wall, ${r.baseline.cpu.toFixed(0)} MB/s CPU\n`,
  );
  for (const { name, perDoc, whole } of r.rows) {
    process.stdout.write(
      `  ${name.padEnd(20)} per document: ${perDoc.wall.toFixed(1)} MB/s wall, ${perDoc.cpu.toFixed(1)} MB/s CPU` +
        ` | 8 MB text: ${whole.wall.toFixed(1)} MB/s wall, ${whole.cpu.toFixed(1)} MB/s CPU\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await import('../../dist/text/index.js');
  printThroughput(await runThroughput(text));
}
