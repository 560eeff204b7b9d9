// bench/proxy: what the stdio and the HTTP latency runs share. Both compare a direct connection
// with a proxied one to the same server, interleaved in rounds so machine load hits both alike,
// and report what the proxy adds at p50 and p99 against the same targets.

export const RESULT_BYTES = 10 * 1024;

export function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const ms = (n) => `${n.toFixed(3)} ms`;

async function timeCalls(client, n, out) {
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    const r = await client.callTool({ name: 'report', arguments: { bytes: RESULT_BYTES } });
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.isError || r.content[0].text.length !== RESULT_BYTES) throw new Error('unexpected result');
  }
}

/**
 * Warms both clients up (100 calls each, not counted), times `rounds` x `perRound` calls on each,
 * closes both, prints the figures under `title` and returns { add50, add99 }.
 */
export async function compareLatency(direct, proxied, { rounds, perRound, title }) {
  await timeCalls(direct, 100, []);
  await timeCalls(proxied, 100, []);
  const d = [];
  const p = [];
  for (let r = 0; r < rounds; r++) {
    await timeCalls(direct, perRound, d);
    await timeCalls(proxied, perRound, p);
  }
  await direct.close();
  await proxied.close();
  d.sort((a, b) => a - b);
  p.sort((a, b) => a - b);
  const add50 = pct(p, 50) - pct(d, 50);
  const add99 = pct(p, 99) - pct(d, 99);
  console.log(`${title} (${d.length} calls each):`);
  console.log(`  direct  p50 ${ms(pct(d, 50))}  p99 ${ms(pct(d, 99))}`);
  console.log(
    `  proxied p50 ${ms(pct(p, 50))}  p99 ${ms(pct(p, 99))}  (x${(pct(p, 50) / pct(d, 50)).toFixed(2)} at p50)`,
  );
  console.log(`  added   p50 ${ms(add50)} (target +0.3 ms)  p99 ${ms(add99)} (target +2 ms)`);
  return { add50, add99 };
}
