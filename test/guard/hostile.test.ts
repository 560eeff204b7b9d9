// Hostile input never crashes or hangs the guard: every call gets a verdict, every result a result.
import { describe, expect, it } from 'vitest';
import { createGuard, loadPolicyText, type ToolResult } from '../../src/guard/index.js';

const policy = loadPolicyText(`
version: 1
servers:
  s:
    tools:
      t:
        args: { a: { string: { maxLength: 10 } } }
        schema: { type: object, additionalProperties: { type: [object, string, number, array] } }
`);

describe('hostile input', () => {
  it('decides cyclic, deep and huge arguments without throwing', () => {
    const g = createGuard({ policy });
    const s = g.session('a');
    g.inspectResult(
      s,
      { callId: 'r', server: 'web', tool: 'fetch_url', arguments: {} },
      { content: [{ type: 'text', text: 'hello world' }] },
    );
    const cyclic: Record<string, unknown> = { a: 'x' };
    cyclic.self = cyclic;
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const wide = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]));
    for (const args of [cyclic, { deep }, wide, { a: 'x'.repeat(1_000_000) }]) {
      for (const tool of ['t', 'send_email']) {
        const v = g.decideCall(s, { callId: '1', server: 's', tool, arguments: args });
        expect(['allow', 'deny', 'require-approval']).toContain(v.decision);
        expect(v.reason.length).toBeGreaterThan(0);
      }
    }
    expect(g.decideCall(s, { callId: '1', server: 's', tool: 't', arguments: { deep } }).decision).toBe(
      'deny',
    );
  });

  it('inspects cyclic, deep, odd-typed and many-part results without throwing', () => {
    const g = createGuard();
    const s = g.session('a');
    const call = { callId: '1', server: 'web', tool: 'fetch_url', arguments: {} };
    const cyclic: Record<string, unknown> = { a: 'x' };
    cyclic.self = cyclic;
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const results: unknown[] = [
      { content: [{ type: 'text', text: 'ok' }], structuredContent: cyclic },
      { content: [{ type: 'text', text: 'ok' }], structuredContent: deep },
      { content: [{ type: 'text', text: 42 }, { type: 'image', data: 'AAAA' }, null] },
      { content: Array.from({ length: 20_000 }, (_, i) => ({ type: 'text', text: `line ${i}` })) },
      { content: [{ type: 'resource', resource: null }] },
      null,
      'text',
    ];
    for (const r of results) {
      const v = g.inspectResult(s, call, r as ToolResult);
      expect(['allow', 'transform', 'deny']).toContain(v.decision);
      expect(v.result._meta?.portcullis).toBeDefined();
    }
  });
});
