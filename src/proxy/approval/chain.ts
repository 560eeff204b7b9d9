// The order in which a human is asked: the first channel available for this request answers
// (in-protocol → terminal → web by default). The chain also owns the deadline: whichever channel
// asks, no answer within the timeout is a denial (`by: timeout`), and a channel that ignores the
// abort cannot hold the call, because the chain stops waiting for it.

import type { ApprovalAnswer, ApprovalChannel, ApprovalGrants, ApprovalRequest } from '../../guard/index.js';

export const DEFAULT_APPROVAL_TIMEOUT_MS = 120_000;

export interface ApprovalChainOptions {
  /** How long a human has to answer, ms (default 120 s). */
  timeoutMs?: number;
  /** Where grants are remembered (the store the engine reads). */
  grants?: ApprovalGrants;
}

export class ApprovalChain implements ApprovalChannel {
  readonly name = 'chain';
  readonly grants: ApprovalGrants | undefined;
  readonly timeoutMs: number;

  constructor(
    readonly channels: readonly ApprovalChannel[],
    options: ApprovalChainOptions = {},
  ) {
    const timeout = options.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0)
      throw new RangeError(`approval timeout must be > 0 ms, got ${timeout}`);
    this.timeoutMs = timeout;
    this.grants = options.grants;
  }

  available(): boolean {
    return this.pick() !== undefined;
  }

  /** The first available member (resolved through its own pick), wrapped with the deadline. */
  pick(): ApprovalChannel | undefined {
    for (const channel of this.channels) {
      const member = channel.pick ? channel.pick() : channel.available() ? channel : undefined;
      if (!member) continue;
      return {
        name: member.name,
        available: () => true,
        ask: (request, signal) => this.askWithDeadline(member, request, signal),
        ...(this.grants ? { grants: this.grants } : {}),
      };
    }
    return undefined;
  }

  ask(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const member = this.pick();
    if (!member)
      return Promise.resolve({
        granted: false,
        scope: 'once',
        by: this.name,
        reason: 'no channel available',
      });
    return member.ask(request, signal);
  }

  private async askWithDeadline(
    member: ApprovalChannel,
    request: ApprovalRequest,
    signal?: AbortSignal,
  ): Promise<ApprovalAnswer> {
    const stop = new AbortController();
    let timedOut = false;
    const onAbort = () => stop.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      stop.abort(new Error('approval timed out'));
    }, this.timeoutMs);
    timer.unref?.();
    const stopped = new Promise<'stopped'>((resolve) => {
      if (stop.signal.aborted) resolve('stopped');
      else stop.signal.addEventListener('abort', () => resolve('stopped'), { once: true });
    });
    try {
      const answer = await Promise.race([member.ask(request, stop.signal), stopped]);
      if (answer !== 'stopped' && !stop.signal.aborted) return answer;
      if (timedOut) return { granted: false, scope: 'once', by: 'timeout' };
      return { granted: false, scope: 'once', by: member.name, reason: 'the request was cancelled' };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!stop.signal.aborted) stop.abort(new Error('answered'));
    }
  }
}
