// ProxyCore in process against a real upstream (one server process for the file): an audit log
// that cannot be written denies the call before it is forwarded, and a detector that throws
// withholds the result. Both are checked against what the server actually received.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppendFile } from '../../src/audit/file.js';
import { AuditLog } from '../../src/audit/index.js';
import { createGuard } from '../../src/guard/index.js';
import { ProxyCore } from '../../src/proxy/core.js';
import { ProxyLog } from '../../src/proxy/log.js';
import { connectUpstream, type Upstream } from '../../src/proxy/upstream.js';
import { node, servers, tempDir } from './helpers.js';

const dir = tempDir();
const sent = join(dir, 'sent.jsonl');
let upstream: Upstream;
const lines: string[] = [];
const log = new ProxyLog((l) => lines.push(l));

beforeAll(async () => {
  upstream = await connectUpstream({
    command: node,
    args: [join(servers, 'email.mjs')],
    env: { ...process.env, SENT_LOG: sent },
    sampling: false,
    elicitation: true,
    onListChanged: () => undefined,
  });
}, 60_000);
afterAll(async () => {
  await upstream?.transport.close();
});

function core(audit: AuditLog, guard = createGuard()): ProxyCore {
  return new ProxyCore({
    guard,
    audit,
    upstream,
    server: 'mail',
    log,
    callTimeoutMs: 10_000,
    blockedTools: 'mark',
    sampling: false,
    elicitation: true,
  });
}

describe('ProxyCore', () => {
  it('denies the call when the audit log cannot be written, and never forwards it', async () => {
    let failing = false;
    const audit = await AuditLog.open(join(dir, 'failing.jsonl'), {
      openFile: async (f) => {
        const real = await openAppendFile(f);
        return {
          ...real,
          write: (data: Buffer) =>
            failing
              ? Promise.reject(
                  Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
                )
              : real.write(data),
          sync: () => real.sync(),
          truncate: (n: number) => real.truncate(n),
          size: () => real.size(),
          close: () => real.close(),
        };
      },
    });
    const c = core(audit);
    await c.listTools();
    const ok = await c.callTool(
      { name: 'echo', arguments: { text: 'while the disk is fine' } },
      new AbortController().signal,
    );
    expect(ok.isError).toBeFalsy();
    failing = true;
    const r = await c.callTool(
      { name: 'send_email', arguments: { to: 'alice@example.com', subject: 's', body: 'b' } },
      new AbortController().signal,
    );
    expect(r.isError).toBe(true);
    expect((r._meta?.portcullis as { rule?: string } | undefined)?.rule).toBe('audit');
    expect(existsSync(sent)).toBe(false);
    expect(lines.some((l) => l.includes('audit log write failed'))).toBe(true);
    await audit.close().catch(() => undefined);
  });

  it('withholds a result when the detectors throw, and records the denial', async () => {
    const file = join(dir, 'detector.jsonl');
    const audit = await AuditLog.open(file);
    const guard = createGuard({
      scan: () => {
        throw new Error('detector exploded');
      },
    });
    const c = core(audit, guard);
    await c.listTools();
    const r = await c.callTool(
      { name: 'echo', arguments: { text: 'anything' } },
      new AbortController().signal,
    );
    expect(r.isError).toBe(true);
    expect(r.content[0]?.text).not.toContain('anything');
    await audit.close();
    const records = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.find((x) => x.meta?.phase === 'result')).toMatchObject({
      decision: 'deny',
      rule: 'internal-error',
    });
  });

  it('passes a JSON-RPC error from the server through as an error with its code', async () => {
    const audit = await AuditLog.open(join(dir, 'rpc.jsonl'));
    const c = core(audit);
    await expect(
      c.callTool({ name: 'no_such_tool', arguments: {} }, new AbortController().signal),
    ).rejects.toMatchObject({ code: -32602 });
    await audit.close();
  });
});
