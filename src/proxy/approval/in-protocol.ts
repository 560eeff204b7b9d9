// Asking the human through the MCP client itself. On a 2025-era connection that is an
// `elicitation/create` request to the client (when it declared elicitation in form mode). On the
// 2026-07-28 era servers cannot send requests to the client; the tool call is answered with an
// `input_required` result carrying the same question, and the client retries the call with the
// answer in `inputResponses`. The retry carries our `requestState` back: it is sealed (HMAC-SHA256
// under a per-process key) and binds the answer to this session, this approval key, an expiry and a
// nonce used once, so a client cannot replay one answer for another call or a second time.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CLIENT_CAPABILITIES_META_KEY, type ElicitResult, inputRequired } from '@modelcontextprotocol/server';
import {
  type ApprovalAnswer,
  type ApprovalChannel,
  ApprovalDeferred,
  type ApprovalRequest,
} from '../../guard/index.js';
import { type ClientRequestContext, currentClientRequest, envelopeOf, isModernRequest } from './context.js';
import { viewOf } from './describe.js';

/** The key of our question in `inputRequests` / `inputResponses`. */
export const APPROVAL_INPUT_KEY = 'portcullis_approval';
const STATE_PREFIX = 'pc-approval.v1.';
const MAX_NONCES = 10_000;

const requestedSchema = {
  type: 'object' as const,
  properties: {
    decision: {
      type: 'string' as const,
      title: 'Decision',
      description: 'Allow this call once, allow identical calls for this session, or deny it.',
      oneOf: [
        { const: 'once', title: 'Allow once' },
        { const: 'session', title: 'Allow for this session' },
        { const: 'deny', title: 'Deny' },
      ],
    },
  },
  required: ['decision'],
};

export function approvalMessage(request: ApprovalRequest): string {
  const v = viewOf(request);
  return [
    `Portcullis: allow ${v.server}/${v.tool}?`,
    `Reason: ${v.reason}`,
    `Rule: ${v.rule}`,
    `Arguments: ${v.args}`,
  ].join('\n');
}

/** An elicitation result read as an answer: only an accepted `once` or `session` grants. */
export function answerOfElicitation(result: unknown, by: string): ApprovalAnswer {
  const r = result as Partial<ElicitResult> | undefined;
  const decision = (r?.content as { decision?: unknown } | undefined)?.decision;
  if (r?.action === 'accept' && (decision === 'once' || decision === 'session'))
    return { granted: true, scope: decision, by };
  const why =
    r?.action === 'accept'
      ? 'the answer was deny'
      : `the client answered ${String(r?.action ?? 'nothing usable')}`;
  return { granted: false, scope: 'once', by, reason: why };
}

function formCapable(caps: unknown): boolean {
  const e = (caps as { elicitation?: { form?: unknown; url?: unknown } } | undefined)?.elicitation;
  if (!e || typeof e !== 'object') return false;
  // An empty elicitation capability means form mode (2025-06 compatibility).
  return e.form !== undefined || e.url === undefined;
}

interface SealedState {
  /** approval key */
  k: string;
  /** session id */
  s: string;
  /** nonce */
  n: string;
  /** expiry, ms since the epoch */
  e: number;
}

export interface InProtocolOptions {
  /** How long the human has to answer, ms (the elicitation's timeout; the retry's deadline). */
  timeoutMs: number;
  now?: () => number;
}

export class InProtocolChannel implements ApprovalChannel {
  readonly name = 'in-protocol';
  private readonly key = randomBytes(32);
  private readonly used = new Map<string, number>();
  private readonly now: () => number;
  private readonly elicitation: ApprovalChannel;
  private readonly inputRequired: ApprovalChannel;

  constructor(private readonly options: InProtocolOptions) {
    this.now = options.now ?? Date.now;
    this.elicitation = {
      name: 'elicitation',
      available: () => true,
      ask: (request, signal) => this.elicit(request, signal),
    };
    this.inputRequired = {
      name: 'input-required',
      available: () => true,
      ask: async (request) => this.fromRetry(request),
    };
  }

  available(): boolean {
    return this.pick() !== undefined;
  }

  /** Elicitation on a 2025-era connection, input-required on a 2026-07-28 request, else none. */
  pick(): ApprovalChannel | undefined {
    const context = currentClientRequest();
    if (!context) return undefined;
    if (isModernRequest(context))
      return formCapable(envelopeOf(context)[CLIENT_CAPABILITIES_META_KEY]) ? this.inputRequired : undefined;
    return formCapable(context.server.getClientCapabilities()) ? this.elicitation : undefined;
  }

  ask(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const member = this.pick();
    if (!member)
      return Promise.resolve({ granted: false, scope: 'once', by: this.name, reason: 'no client' });
    return member.ask(request, signal);
  }

  private async elicit(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer> {
    const context = currentClientRequest() as ClientRequestContext;
    const result = await context.ctx.mcpReq.elicitInput(
      { mode: 'form', message: approvalMessage(request), requestedSchema },
      { timeout: this.options.timeoutMs, ...(signal ? { signal } : {}) },
    );
    return answerOfElicitation(result, 'elicitation');
  }

  /** The answer carried by the client's retry, or (first round) a deferral that asks for it. */
  private fromRetry(request: ApprovalRequest): ApprovalAnswer {
    const context = currentClientRequest() as ClientRequestContext;
    const state = context.ctx.mcpReq.requestState();
    const by = 'input-required';
    if (typeof state === 'string' && state.startsWith(STATE_PREFIX)) {
      const sealed = this.open(state);
      if (!sealed)
        return { granted: false, scope: 'once', by, reason: 'the approval state was forged or damaged' };
      if (sealed.k !== request.approvalKey || sealed.s !== request.sessionId)
        return { granted: false, scope: 'once', by, reason: 'the approval state belongs to another call' };
      if (this.now() >= sealed.e) return { granted: false, scope: 'once', by: 'timeout' };
      const response = context.ctx.mcpReq.inputResponses?.[APPROVAL_INPUT_KEY];
      if (response !== undefined) {
        if (this.used.has(sealed.n))
          return { granted: false, scope: 'once', by, reason: 'the answer was already used' };
        if (!this.remember(sealed.n, sealed.e))
          return { granted: false, scope: 'once', by, reason: 'too many approvals in flight' };
        return answerOfElicitation(response, by);
      }
    }
    // No (usable) answer yet: end this round with the question; the client retries with the answer.
    const sealedState = this.seal({
      k: request.approvalKey,
      s: request.sessionId,
      n: randomBytes(16).toString('base64url'),
      e: this.now() + this.options.timeoutMs,
    });
    throw new ApprovalDeferred(
      inputRequired({
        inputRequests: {
          [APPROVAL_INPUT_KEY]: inputRequired.elicit({ message: approvalMessage(request), requestedSchema }),
        },
        requestState: sealedState,
      }),
    );
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }

  private seal(state: SealedState): string {
    const body = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${STATE_PREFIX}${body}.${this.mac(body).toString('base64url')}`;
  }

  private open(text: string): SealedState | undefined {
    if (text.length > 4096) return undefined;
    const [body, mac] = text.slice(STATE_PREFIX.length).split('.');
    if (!body || !mac) return undefined;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const s = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SealedState;
      if (
        typeof s.k !== 'string' ||
        typeof s.s !== 'string' ||
        typeof s.n !== 'string' ||
        typeof s.e !== 'number'
      )
        return undefined;
      return s;
    } catch {
      return undefined;
    }
  }

  /** Marks a nonce used until its state expires; false (deny) when too many are live to track. */
  private remember(nonce: string, expiresAt: number): boolean {
    if (this.used.size >= MAX_NONCES) {
      const t = this.now();
      for (const [n, e] of this.used) if (e <= t) this.used.delete(n);
      // Forgetting a live nonce would let its answer be replayed: refuse instead.
      if (this.used.size >= MAX_NONCES) return false;
    }
    this.used.set(nonce, expiresAt);
    return true;
  }
}
