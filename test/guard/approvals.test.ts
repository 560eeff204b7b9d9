// The approval store and its wiring through the real engine, gate and audit log: a `once` grant
// passes exactly the call it was given for, a `session` grant passes identical calls in that session
// only, an expired grant passes nothing, and every answer is recorded with channel, scope and key.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/index.js';
import {
  type ApprovalAnswer,
  type ApprovalChannel,
  ApprovalDeferred,
  type ApprovalRequest,
  ApprovalStore,
  approvalKeyOf,
  CallGate,
  createGuard,
  loadPolicyText,
  type ToolCall,
} from '../../src/guard/index.js';

const policy = loadPolicyText(`
version: 1
servers:
  fs:
    tools:
      delete_file: { action: require-approval }
`);

let n = 0;
const call = (args: Record<string, unknown>, tool = 'delete_file'): ToolCall => ({
  callId: `c${++n}`,
  server: 'fs',
  tool,
  arguments: args,
});

/** A channel that answers from a script, and counts how often it was asked. */
class ScriptedChannel implements ApprovalChannel {
  readonly name = 'scripted';
  asked: ApprovalRequest[] = [];
  constructor(
    private readonly answers: (ApprovalAnswer | 'defer' | 'throw')[],
    readonly grants?: ApprovalStore,
  ) {}
  available(): boolean {
    return true;
  }
  async ask(request: ApprovalRequest): Promise<ApprovalAnswer> {
    this.asked.push(request);
    const a = this.answers.shift();
    if (a === 'defer') throw new ApprovalDeferred({ resultType: 'input_required' });
    if (a === 'throw' || a === undefined) throw new Error('the terminal went away');
    return a;
  }
}

async function setup(answers: ConstructorParameters<typeof ScriptedChannel>[0], now = () => Date.now()) {
  const store = new ApprovalStore({ ttlMs: 60_000, now });
  const guard = createGuard({ policy, approvals: store, now });
  const file = join(mkdtempSync(join(tmpdir(), 'pc-approvals-')), 'audit.jsonl');
  const audit = await AuditLog.open(file);
  const channel = new ScriptedChannel(answers, store);
  const gate = new CallGate({ guard, audit, session: guard.session('s1'), approvals: channel });
  const records = async () => {
    await audit.close();
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r.type === 'decision');
  };
  return { store, guard, gate, channel, records };
}

const once: ApprovalAnswer = { granted: true, scope: 'once', by: 'scripted' };
const session: ApprovalAnswer = { granted: true, scope: 'session', by: 'scripted' };

describe('ApprovalStore', () => {
  it('a once grant is consumed by one lookup; a session grant stands; both are bound to session and key', () => {
    const store = new ApprovalStore();
    store.grant('a', 'k1', 'once', 't');
    expect(store.isApproved('b', 'k1')).toBe(false);
    expect(store.isApproved('a', 'k2')).toBe(false);
    expect(store.isApproved('a', 'k1')).toBe(true);
    expect(store.isApproved('a', 'k1')).toBe(false);
    store.grant('a', 'k3', 'session', 't');
    expect(store.isApproved('a', 'k3')).toBe(true);
    expect(store.isApproved('a', 'k3')).toBe(true);
    expect(store.isApproved('b', 'k3')).toBe(false);
    store.endSession('a');
    expect(store.isApproved('a', 'k3')).toBe(false);
  });

  it('grants expire', () => {
    let t = 1000;
    const store = new ApprovalStore({ ttlMs: 500, now: () => t });
    store.grant('a', 'k', 'session', 't');
    t = 1499;
    expect(store.isApproved('a', 'k')).toBe(true);
    t = 1500;
    expect(store.isApproved('a', 'k')).toBe(false);
    expect(store.size).toBe(0);
  });

  it('stays bounded, evicting the oldest grant first', () => {
    const store = new ApprovalStore({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd']) store.grant('s', k, 'session', 't');
    expect(store.size).toBe(3);
    expect(store.isApproved('s', 'a')).toBe(false);
    expect(store.isApproved('s', 'd')).toBe(true);
  });

  it('refuses invalid configuration at setup', () => {
    expect(() => new ApprovalStore({ ttlMs: 0 })).toThrow(/ttl/);
    expect(() => new ApprovalStore({ maxEntries: 0 })).toThrow(/size/);
  });
});

describe('CallGate with approvals', () => {
  it('once: the granted call passes, an identical second call is asked again', async () => {
    const { gate, channel, records } = await setup([once, { granted: false, scope: 'once', by: 'scripted' }]);
    const args = { path: '/tmp/x' };
    expect((await gate.admit(call(args), 'tools/call')).decision).toBe('allow');
    const second = await gate.admit(call(args), 'tools/call');
    expect(second.decision).toBe('deny');
    expect(second.reason).toMatch(/refused by scripted/);
    expect(channel.asked).toHaveLength(2);
    const rs = await records();
    const answers = rs.filter((r) => r.meta?.approval === 'granted' || r.meta?.approval === 'denied');
    expect(answers.map((r) => [r.meta.approval, r.meta.scope, r.meta.channel])).toEqual([
      ['granted', 'once', 'scripted'],
      ['denied', 'once', 'scripted'],
    ]);
    const key = approvalKeyOf(call(args));
    expect(rs.every((r) => r.meta.key === key)).toBe(true);
    expect(rs.filter((r) => r.meta.approval === 'asked')).toHaveLength(2);
  });

  it('session: identical calls pass without asking, other arguments are asked', async () => {
    const { gate, channel, records } = await setup([session, { granted: false, scope: 'once', by: 'x' }]);
    const args = { path: '/tmp/y' };
    expect((await gate.admit(call(args), 'tools/call')).decision).toBe('allow');
    const reused = await gate.admit(call({ path: '/tmp/y' }), 'tools/call');
    expect(reused).toMatchObject({ decision: 'allow', rule: 'approved' });
    expect(channel.asked).toHaveLength(1);
    expect((await gate.admit(call({ path: '/tmp/z' }), 'tools/call')).decision).toBe('deny');
    expect(channel.asked).toHaveLength(2);
    const rs = await records();
    const reuse = rs.find((r) => r.rule === 'approved' && r.meta.approval === undefined);
    expect(reuse?.meta.key).toBe(approvalKeyOf(call(args)));
  });

  it('an expired session grant is not reused', async () => {
    let t = 0;
    const { gate, channel } = await setup([session, once], () => t);
    const args = { path: '/tmp/e' };
    expect((await gate.admit(call(args), 'tools/call')).decision).toBe('allow');
    t = 60_001;
    expect((await gate.admit(call(args), 'tools/call')).decision).toBe('allow');
    expect(channel.asked).toHaveLength(2);
  });

  it('a channel that throws denies; a deferral is recorded and passed on', async () => {
    const { gate, records } = await setup(['throw', 'defer']);
    const v = await gate.admit(call({ path: '/a' }), 'tools/call');
    expect(v.decision).toBe('deny');
    expect(v.reason).toMatch(/the terminal went away/);
    await expect(gate.admit(call({ path: '/b' }), 'tools/call')).rejects.toBeInstanceOf(ApprovalDeferred);
    const rs = await records();
    expect(rs.map((r) => r.meta.approval)).toEqual(['asked', 'denied', 'asked', 'deferred']);
  });

  it('without a channel, require-approval is denied at once and nothing is asked', async () => {
    const store = new ApprovalStore();
    const guard = createGuard({ policy, approvals: store });
    const audit = await AuditLog.open(join(mkdtempSync(join(tmpdir(), 'pc-approvals-')), 'a.jsonl'));
    const gate = new CallGate({ guard, audit, session: guard.session('s') });
    const v = await gate.admit(call({ path: '/q' }), 'tools/call');
    expect(v).toMatchObject({ decision: 'deny' });
    expect(v.reason).toMatch(/no approval channel/);
    await audit.close();
  });
});
