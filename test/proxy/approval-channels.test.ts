// The channels' own logic, in process: the chain's order and deadline, the sealed requestState of
// the 2026-07-28 in-protocol round trip against forged, replayed, misbound and expired answers, and
// what the terminal shows and accepts. The end-to-end paths are in approval-elicitation,
// approval-terminal and approval-web; an SDK client never forges a requestState, so the forgeries
// are made here, against the real channel, inside a request context built for the purpose.
import type { Server, ServerContext } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import {
  type ApprovalAnswer,
  type ApprovalChannel,
  ApprovalDeferred,
  type ApprovalRequest,
} from '../../src/guard/index.js';
import { ApprovalChain } from '../../src/proxy/approval/chain.js';
import { runInClientRequest } from '../../src/proxy/approval/context.js';
import { inert } from '../../src/proxy/approval/describe.js';
import { APPROVAL_INPUT_KEY, InProtocolChannel } from '../../src/proxy/approval/in-protocol.js';
import { parseTerminalAnswer } from '../../src/proxy/approval/terminal.js';

const request = (key = 'a'.repeat(64), sessionId = 's1'): ApprovalRequest => ({
  call: { callId: 'c', server: 'files', tool: 'delete_file', arguments: { path: 'x' } },
  verdict: { decision: 'require-approval', rule: 'destructive', reason: 'destructive', labels: [] },
  sessionId,
  approvalKey: key,
});

class Fixed implements ApprovalChannel {
  calls = 0;
  constructor(
    readonly name: string,
    private readonly up: boolean,
    private readonly answer?: ApprovalAnswer,
  ) {}
  available() {
    return this.up;
  }
  ask(): Promise<ApprovalAnswer> {
    this.calls++;
    return this.answer ? Promise.resolve(this.answer) : new Promise(() => undefined); // never answers
  }
}

describe('ApprovalChain', () => {
  it('asks the first available channel and names it', async () => {
    const down = new Fixed('in-protocol', false);
    const tty = new Fixed('terminal', true, { granted: true, scope: 'once', by: 'terminal' });
    const web = new Fixed('web', true, { granted: false, scope: 'once', by: 'web' });
    const chain = new ApprovalChain([down, tty, web], { timeoutMs: 1000 });
    expect(chain.pick()?.name).toBe('terminal');
    expect(await chain.ask(request())).toMatchObject({ granted: true, by: 'terminal' });
    expect([down.calls, tty.calls, web.calls]).toEqual([0, 1, 0]);
    expect(new ApprovalChain([down]).available()).toBe(false);
  });

  it('a channel that never answers (and ignores the abort) is denied by the deadline', async () => {
    const chain = new ApprovalChain([new Fixed('web', true)], { timeoutMs: 50 });
    const started = Date.now();
    expect(await chain.ask(request())).toEqual({ granted: false, scope: 'once', by: 'timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('the caller cancelling is a denial by the channel, not a timeout', async () => {
    const chain = new ApprovalChain([new Fixed('web', true)], { timeoutMs: 60_000 });
    const stop = new AbortController();
    const asked = chain.ask(request(), stop.signal);
    stop.abort();
    expect(await asked).toMatchObject({ granted: false, by: 'web', reason: 'the request was cancelled' });
  });

  it('refuses a non-positive timeout at setup', () => {
    expect(() => new ApprovalChain([], { timeoutMs: 0 })).toThrow(/timeout/);
  });
});

/** A 2026-07-28 request context: the envelope, the echoed state and the responses a client sent. */
function modern(
  state?: string,
  responses?: Record<string, unknown>,
  capabilities: unknown = { elicitation: {} },
) {
  const ctx = {
    mcpReq: {
      envelope: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientCapabilities': capabilities,
      },
      requestState: () => state,
      inputResponses: responses,
    },
  } as unknown as ServerContext;
  return { server: {} as Server, ctx };
}

async function deferral(
  channel: InProtocolChannel,
  req = request(),
): Promise<{ state: string; message: string }> {
  try {
    await runInClientRequest(modern(), () => channel.ask(req));
  } catch (e) {
    expect(e).toBeInstanceOf(ApprovalDeferred);
    const r = (e as ApprovalDeferred).result as {
      resultType: string;
      requestState: string;
      inputRequests: Record<string, { method: string; params: { message: string } }>;
    };
    expect(r.resultType).toBe('input_required');
    const question = r.inputRequests[APPROVAL_INPUT_KEY];
    expect(question?.method).toBe('elicitation/create');
    return { state: r.requestState, message: question?.params.message ?? '' };
  }
  throw new Error('the first round did not defer');
}

const accept = (decision: string) => ({ [APPROVAL_INPUT_KEY]: { action: 'accept', content: { decision } } });

describe('InProtocolChannel on the 2026-07-28 era', () => {
  it('is picked only when the request declares elicitation', () => {
    const channel = new InProtocolChannel({ timeoutMs: 10_000 });
    expect(runInClientRequest(modern(), () => channel.pick()?.name)).toBe('input-required');
    expect(runInClientRequest(modern(undefined, undefined, {}), () => channel.pick())).toBeUndefined();
    expect(channel.pick()).toBeUndefined(); // outside any request
  });

  it('defers with the question, then takes the answer from the retry — once', async () => {
    const channel = new InProtocolChannel({ timeoutMs: 10_000 });
    const { state, message } = await deferral(channel);
    expect(message).toContain('files/delete_file');
    const retry = () => runInClientRequest(modern(state, accept('session')), () => channel.ask(request()));
    expect(await retry()).toEqual({ granted: true, scope: 'session', by: 'input-required' });
    // The same state and answer again: a replay.
    expect(await retry()).toMatchObject({ granted: false, reason: 'the answer was already used' });
  });

  it('refuses a forged or tampered state, and an answer bound to another call or session', async () => {
    const channel = new InProtocolChannel({ timeoutMs: 10_000 });
    const { state } = await deferral(channel);
    const tampered = `${state.slice(0, -2)}${state.endsWith('A') ? 'B' : 'A'}A`;
    const ask = (s: string, req = request()) =>
      runInClientRequest(modern(s, accept('once')), () => channel.ask(req));
    expect(await ask(tampered)).toMatchObject({ granted: false, reason: /forged/ });
    const other = new InProtocolChannel({ timeoutMs: 10_000 }); // another proxy's key
    expect(await runInClientRequest(modern(state, accept('once')), () => other.ask(request()))).toMatchObject(
      {
        granted: false,
        reason: /forged/,
      },
    );
    expect(await ask(state, request('b'.repeat(64)))).toMatchObject({
      granted: false,
      reason: /another call/,
    });
    expect(await ask(state, request(undefined, 's2'))).toMatchObject({
      granted: false,
      reason: /another call/,
    });
    // Still unused: the right call can take it.
    expect(await ask(state)).toMatchObject({ granted: true, scope: 'once' });
  });

  it('an answer after the deadline is a timeout; a decline or deny is a refusal; no answer asks again', async () => {
    let t = 1000;
    const channel = new InProtocolChannel({ timeoutMs: 500, now: () => t });
    const { state } = await deferral(channel);
    const ask = (responses?: Record<string, unknown>) =>
      runInClientRequest(modern(state, responses), () => channel.ask(request()));
    await expect(ask(undefined)).rejects.toBeInstanceOf(ApprovalDeferred);
    expect(await ask({ [APPROVAL_INPUT_KEY]: { action: 'decline' } })).toMatchObject({ granted: false });
    const second = await deferral(channel);
    expect(
      await runInClientRequest(modern(second.state, accept('deny')), () => channel.ask(request())),
    ).toMatchObject({ granted: false, reason: 'the answer was deny' });
    const third = await deferral(channel);
    t += 500;
    expect(
      await runInClientRequest(modern(third.state, accept('once')), () => channel.ask(request())),
    ).toMatchObject({ granted: false, by: 'timeout' });
  });
});

describe('terminal text', () => {
  it('shows control characters, bidi overrides and separators as escapes', () => {
    expect(inert('a\u001b[2Jb\u202ec\u2028d\u0007\te')).toBe('a\\u{1b}[2Jb\\u{202e}c\\u{2028}d\\u{7}\te');
    expect(inert('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it('only y/yes/once and s/session grant; everything else denies', () => {
    expect(parseTerminalAnswer(' Y ')).toEqual({ granted: true, scope: 'once' });
    expect(parseTerminalAnswer('session')).toEqual({ granted: true, scope: 'session' });
    for (const no of ['', 'n', 'no', 'yess', 'sure', '\u001b[A'])
      expect(parseTerminalAnswer(no).granted, JSON.stringify(no)).toBe(false);
  });
});
