import { describe, expect, it } from 'vitest';
import { defaultAuditPath, fileSafeName } from '../../src/proxy/audit-path.js';
import { classifyJson, type Frame, LineFramer, parseLine } from '../../src/proxy/framing.js';

function frames(max: number, ...chunks: (string | Buffer)[]): Frame[] {
  const out: Frame[] = [];
  const f = new LineFramer(max, (x) => out.push(x));
  for (const c of chunks) f.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  f.end();
  return out;
}

describe('LineFramer', () => {
  it('splits lines across chunks, ignores blank lines, accepts CRLF and a last line without newline', () => {
    const out = frames(
      1024,
      '{"jsonrpc":"2.0","me',
      'thod":"ping","id":1}\r\n\n  \n{"jsonrpc":"2.0","method":"x"}',
    );
    expect(out.map((f) => f.kind)).toEqual(['message', 'message']);
  });

  it('drops an oversize line as it streams and recovers at the next newline', () => {
    const big = 'x'.repeat(5000);
    const out = frames(
      100,
      `{"a":"${big.slice(0, 2000)}`,
      big,
      '"}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n',
    );
    expect(out[0]).toEqual({ kind: 'oversize', bytes: 7008 });
    expect(out[1]?.kind).toBe('message');
  });

  it('does not split a multi-byte character across chunks', () => {
    const line = Buffer.from('{"jsonrpc":"2.0","method":"é"}\n');
    const out = frames(1024, line.subarray(0, 29), line.subarray(29));
    expect(out[0]).toMatchObject({ kind: 'message', message: { method: 'é' } });
  });
});

describe('classifyJson', () => {
  it.each([
    ['{"jsonrpc":"2.0","id":1,"method":"tools/list"}', 'message'],
    ['{"jsonrpc":"2.0","method":"notifications/initialized"}', 'message'],
    ['{"jsonrpc":"2.0","id":"a","result":{}}', 'message'],
    ['{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"x"}}', 'message'],
  ])('accepts %s', (line, kind) => {
    expect(parseLine(line).kind).toBe(kind);
  });

  it.each([
    ['nope', -32700],
    ['[]', -32600],
    ['42', -32600],
    ['{"jsonrpc":"1.0","id":1,"method":"x"}', -32600],
    ['{"jsonrpc":"2.0","id":{},"method":"x"}', -32600],
    ['{"jsonrpc":"2.0","id":1,"method":""}', -32600],
    ['{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}', -32600],
    ['{"jsonrpc":"2.0","id":1}', -32600],
    ['{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}', -32600],
    ['{"jsonrpc":"2.0","id":1,"error":{"code":"x"}}', -32600],
    ['{"jsonrpc":"2.0","id":null,"result":{}}', -32600],
  ])('refuses %s with %i', (line, code) => {
    expect(parseLine(line)).toMatchObject({ kind: 'malformed', code });
  });

  it('keeps a recoverable id so the refusal can be answered to it', () => {
    expect(classifyJson({ jsonrpc: '1.0', id: 7, method: 'x' })).toMatchObject({ id: 7 });
    expect(classifyJson({ jsonrpc: '1.0', id: { a: 1 }, method: 'x' })).toMatchObject({ id: null });
  });
});

describe('defaultAuditPath', () => {
  const day = new Date('2026-11-25T10:00:00Z');
  it('uses XDG_STATE_HOME when absolute, else ~/.local/state', () => {
    expect(defaultAuditPath('mail', { XDG_STATE_HOME: '/s', HOME: '/h' }, day)).toBe(
      '/s/portcullis/audit/mail-2026-11-25.jsonl',
    );
    expect(defaultAuditPath('mail', { XDG_STATE_HOME: 'rel', HOME: '/h' }, day)).toBe(
      '/h/.local/state/portcullis/audit/mail-2026-11-25.jsonl',
    );
  });
  it('makes hostile server names safe file names', () => {
    expect(fileSafeName('../../etc/passwd')).toBe('etc_passwd');
    expect(fileSafeName('')).toBe('server');
    expect(fileSafeName('a b/c')).toBe('a_b_c');
  });
});
