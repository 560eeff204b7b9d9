// Every fail-closed path over real stdio, driven with raw JSON-RPC lines (an SDK client never sends
// malformed frames): malformed and oversize frames, invalid requests, unknown methods, an upstream
// that hangs, answers garbage, and crashes with a call pending. One proxy for all of it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { alive, ensureBuilt, RawProxy, tempDir } from './helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

type Rpc = {
  id?: unknown;
  result?: {
    isError?: boolean;
    content: { text: string }[];
    _meta?: { portcullis?: { decision: string; rule: string } };
  };
  error?: { code: number; message: string };
};

describe('portcullis proxy fails closed', () => {
  it('answers hostile frames, times out hung calls, survives garbage and reports an upstream crash', {
    timeout: 180_000,
  }, async () => {
    const dir = tempDir();
    const audit = join(dir, 'audit.jsonl');
    const proxy = new RawProxy(
      ['--audit', audit, '--timeout', '1500ms', '--max-message', '4096'],
      'faulty.mjs',
    );
    await proxy.initialize();

    // Not JSON: parse error, id null.
    proxy.write('{"jsonrpc":"2.0","id":1,"method":\n');
    expect(((await proxy.response(null)) as Rpc).error?.code).toBe(-32700);
    // JSON, but not JSON-RPC 2.0: invalid request, answered with the id it carried.
    proxy.send({ jsonrpc: '1.0', id: 'v1', method: 'tools/list' });
    expect(((await proxy.response('v1')) as Rpc).error?.code).toBe(-32600);
    proxy.write('[{"jsonrpc":"2.0","id":"b","method":"ping"}]\n');
    expect(((await proxy.response(null)) as Rpc).error?.message).toMatch(/batch/);
    // Over the size cap: refused without being buffered; the connection stays usable.
    proxy.write(
      `{"jsonrpc":"2.0","id":"big","method":"tools/call","params":{"name":"ok","arguments":{"x":"${'a'.repeat(10_000)}"}}}\n`,
    );
    expect(((await proxy.response(null)) as Rpc).error?.message).toMatch(/exceeds the 4096-byte limit/);
    // Unknown method: method not found.
    proxy.send({ jsonrpc: '2.0', id: 'u', method: 'debug/dumpSecrets', params: {} });
    expect(((await proxy.response('u')) as Rpc).error?.code).toBe(-32601);

    // Still serving after all that.
    proxy.send({ jsonrpc: '2.0', id: 'ping', method: 'ping' });
    expect(((await proxy.response('ping')) as Rpc).result).toEqual({});
    proxy.send({ jsonrpc: '2.0', id: 'ok', method: 'tools/call', params: { name: 'ok', arguments: {} } });
    expect(((await proxy.response('ok')) as Rpc).result?.content[0]?.text).toBe('fine');

    // A hung upstream call: an error result after the per-call timeout, not a hang.
    const t0 = Date.now();
    proxy.send({ jsonrpc: '2.0', id: 'hang', method: 'tools/call', params: { name: 'hang', arguments: {} } });
    const hang = (await proxy.response('hang')) as Rpc;
    expect(hang.result?.isError).toBe(true);
    expect(hang.result?.content[0]?.text).toMatch(/did not answer within 1500 ms/);
    expect(Date.now() - t0).toBeLessThan(15_000);

    // Garbage from the upstream for a pending call: that call fails at once.
    proxy.send({
      jsonrpc: '2.0',
      id: 'garbage',
      method: 'tools/call',
      params: { name: 'garbage', arguments: {} },
    });
    const garbage = (await proxy.response('garbage')) as Rpc;
    expect(garbage.result?.isError || garbage.error).toBeTruthy();

    // A cancellation from the client reaches the server under the server's own request id, and the
    // cancelled request gets no answer.
    const cancelFile = join(dir, 'cancelled.txt');
    proxy.send({
      jsonrpc: '2.0',
      id: 'cx',
      method: 'tools/call',
      params: { name: 'long_poll', arguments: { file: cancelFile } },
    });
    await new Promise((r) => setTimeout(r, 500));
    proxy.send({
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: 'cx', reason: 'user' },
    });
    for (let i = 0; i < 100 && !existsSync(cancelFile); i++) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(cancelFile, 'utf8')).toMatch(/^cancelled \d+$/); // the upstream id is the proxy's, a number
    await new Promise((r) => setTimeout(r, 300));
    expect(proxy.messages.some((m) => m.id === 'cx')).toBe(false);

    // The process group is killed on exit: a helper the server spawned does not outlive the proxy.
    const pidFile = join(dir, 'helper.pid');
    proxy.send({
      jsonrpc: '2.0',
      id: 'spawn',
      method: 'tools/call',
      params: { name: 'spawn_child', arguments: { pidFile } },
    });
    await proxy.response('spawn');
    const helper = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(helper)).toBe(true);

    // The upstream crashes with a call pending: the call gets an error, the proxy exits non-zero.
    proxy.send({
      jsonrpc: '2.0',
      id: 'crash',
      method: 'tools/call',
      params: { name: 'crash', arguments: {} },
    });
    const crash = (await proxy.response('crash')) as Rpc;
    expect(crash.result?.isError).toBe(true);
    expect(crash.result?._meta?.portcullis?.decision).toBe('error');
    const exit = await proxy.exited;
    expect(exit.code).toBe(1);
    expect(proxy.stderr).toMatch(/upstream server exited with code 3/);
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(helper)).toBe(false);

    const records = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.find((r) => r.tool === 'hang' && r.decision === 'error')?.rule).toBe('timeout');
    expect(records.some((r) => r.method === 'debug/dumpSecrets' && r.decision === 'deny')).toBe(true);
  });
});
