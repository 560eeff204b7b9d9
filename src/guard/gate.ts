// The call path every transport and wrapper shares: decide → (ask a human) → record → forward →
// inspect → record. The engine decides; the gate sequences, so the stdio proxy, the HTTP proxy and
// the in-process adapters enforce one identical path. The transport supplies only `forward` (how a
// call reaches the tool) and how its errors read. Every failure turns into a refusal.

import type { AuditLog, AuditRecordInput } from '../audit/index.js';
import type { ApprovalGrants } from './approvals.js';
import { finalize } from './engine.js';
import type {
  BlockedTool,
  Guard,
  GuardSession,
  ResultVerdict,
  ToolCall,
  ToolResult,
  Verdict,
} from './types.js';

/** What a human is asked, and what they answer. */
export interface ApprovalRequest {
  call: ToolCall;
  verdict: Verdict;
  sessionId: string;
  /** Hash of server + tool + canonical arguments: the answer binds to it. */
  approvalKey: string;
}

export interface ApprovalAnswer {
  granted: boolean;
  /** `once`: this call only; `session`: identical calls (same key) in this session. */
  scope: 'once' | 'session';
  /** Who or what answered, for the audit log: `elicitation`, `terminal`, `web`, `timeout`. */
  by: string;
  reason?: string;
}

/** A way to ask a human (elicitation, the terminal, a local web page). */
export interface ApprovalChannel {
  readonly name: string;
  /** Whether asking is possible right now (a TTY exists, the client declared elicitation...). */
  available(): boolean;
  /**
   * Resolves with the answer; a timeout or abort resolves `granted: false`. It may throw
   * ApprovalDeferred to end this request and collect the answer on the client's retry.
   */
  ask(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalAnswer>;
  /** For a chain (or a channel with several ways): the member that would ask right now. */
  pick?(): ApprovalChannel | undefined;
  /** Where granted answers are remembered, so the engine's lookup finds (and a `once` consumes) them. */
  readonly grants?: ApprovalGrants;
}

/**
 * Thrown by a channel that asks in a later round of the same request (the 2026-07-28 protocol's
 * input-required results): the transport answers the client with `result` and the client retries
 * the call with the human's answer. The gate records the deferral and lets it through untouched.
 */
export class ApprovalDeferred extends Error {
  constructor(readonly result: unknown) {
    super('approval deferred to the client');
  }
}

/** Per-tool secrets: injected into the forwarded call, redacted from everything coming back. */
export interface CredentialBroker {
  /** Arguments to forward with the secrets this tool's policy gives it injected. */
  inject(call: ToolCall, args: Record<string, unknown>): Record<string, unknown>;
  /** The result with every known secret (plain, base64, URL-encoded) replaced. */
  redactResult(result: ToolResult): ToolResult;
  redactText(text: string): string;
  /** Any value (a listed tool, a notification) with every known secret replaced in strings and keys. */
  redactValue?<T>(value: T): T;
  /** The audit record with injected arguments masked and every known secret replaced. */
  redactRecord?(input: AuditRecordInput): AuditRecordInput;
  /** A listed tool as the client sees it: secrets redacted, injected arguments left out of its schema. */
  presentTool?<T extends { name: string }>(server: string, tool: T): T;
}

export interface GateOptions {
  guard: Guard;
  audit: AuditLog;
  session: GuardSession;
  approvals?: ApprovalChannel;
  credentials?: CredentialBroker;
  /** Called with operational events (audit failures, upstream failures). */
  onEvent?: (kind: string, message: string) => void;
}

/** How the transport classifies a failure of `forward`. */
export interface ForwardFailure {
  /** An error to throw after recording (the client aborted; the server's own protocol error to pass on). */
  throw?: unknown;
  rule: string;
  reason: string;
}

export class CallGate {
  constructor(readonly options: GateOptions) {}

  get session(): GuardSession {
    return this.options.session;
  }

  /** Appends a record; resolves false (after reporting) when it could not be made durable. */
  async record(input: AuditRecordInput): Promise<boolean> {
    try {
      const clean = this.options.credentials?.redactRecord
        ? this.options.credentials.redactRecord(input)
        : input;
      await this.options.audit.append({ session: this.session.id, ...clean });
      return true;
    } catch (e) {
      this.options.onEvent?.('audit', `audit log write failed: ${(e as Error).message}`);
      return false;
    }
  }

  /** Records a tool list the guard registered (`listed` by a server, `wrapped` in process), with what it blocked. */
  recordToolList(server: string, names: string[], blocked: BlockedTool[], verb = 'listed'): Promise<boolean> {
    const rule = blocked.length === 0 ? '' : blocked.some((b) => b.withhold) ? 'poisoned' : 'pinned';
    return this.record({
      server,
      tool: '*',
      method: 'tools/list',
      decision: blocked.length > 0 ? 'transform' : 'allow',
      rule,
      reason:
        blocked.length > 0
          ? `${names.length} tools ${verb}; blocked: ${blocked.map((b) => `${b.tool} (${b.reason})`).join('; ')}`
          : `${names.length} tools ${verb}`,
      meta: { tools: names.slice(0, 1000) },
    });
  }

  /** Decides, asks when approval is required and a channel exists, records — only then may a call pass. */
  async admit(call: ToolCall, method: string, signal?: AbortSignal): Promise<Verdict> {
    const { guard, approvals } = this.options;
    const decided = guard.decideCall(this.session, call);
    const channel = approvals?.pick ? approvals.pick() : approvals?.available() ? approvals : undefined;
    let verdict = finalize(decided, channel !== undefined);
    const base = {
      id: call.callId,
      server: call.server,
      tool: call.tool,
      method,
      args: call.arguments,
    };
    if (verdict.decision === 'require-approval' && channel) {
      const asked = await this.record({
        ...base,
        labels: verdict.labels,
        rule: verdict.rule,
        decision: 'require-approval',
        reason: verdict.reason,
        meta: { phase: 'call', approval: 'asked', channel: channel.name, key: verdict.approvalKey },
      });
      if (!asked) return this.auditFailed(verdict);
      let answer: ApprovalAnswer;
      try {
        answer = await channel.ask(
          {
            call,
            verdict,
            sessionId: this.session.id,
            approvalKey: verdict.approvalKey ?? '',
          },
          signal,
        );
      } catch (e) {
        if (e instanceof ApprovalDeferred) {
          await this.record({
            ...base,
            labels: verdict.labels,
            rule: verdict.rule,
            decision: 'require-approval',
            reason: verdict.reason,
            meta: { phase: 'call', approval: 'deferred', channel: channel.name, key: verdict.approvalKey },
          });
          throw e;
        }
        answer = { granted: false, scope: 'once', by: channel.name, reason: (e as Error).message };
      }
      // A grant goes into the store the engine reads; this call then takes it (a `once` grant is
      // used up here, so it cannot pass a second identical call). A grant that cannot be stored denies.
      const grants = channel.grants ?? approvals?.grants;
      if (answer.granted && grants) {
        try {
          grants.grant(this.session.id, verdict.approvalKey ?? '', answer.scope, answer.by);
          if (!grants.isApproved(this.session.id, verdict.approvalKey ?? ''))
            throw new Error('the grant was not found right after it was stored');
        } catch (e) {
          answer = {
            ...answer,
            granted: false,
            reason: `could not store the approval: ${(e as Error).message}`,
          };
        }
      }
      verdict = answer.granted
        ? {
            ...verdict,
            decision: 'allow',
            rule: 'approved',
            reason: `approved by ${answer.by} (${answer.scope}): ${verdict.reason}`,
          }
        : {
            ...verdict,
            decision: 'deny',
            reason: `approval ${answer.by === 'timeout' ? 'timed out' : `refused by ${answer.by}`}${
              answer.reason ? ` (${answer.reason})` : ''
            }: ${verdict.reason}`,
          };
      const ok = await this.record({
        ...base,
        labels: verdict.labels,
        rule: verdict.rule,
        decision: verdict.decision,
        reason: verdict.reason,
        meta: {
          phase: 'call',
          approval: answer.granted ? 'granted' : 'denied',
          channel: channel.name,
          by: answer.by,
          scope: answer.scope,
          key: verdict.approvalKey,
        },
      });
      return ok ? verdict : this.auditFailed(verdict);
    }
    const ok = await this.record({
      ...base,
      labels: verdict.labels,
      rule: verdict.rule,
      decision: verdict.decision,
      reason: verdict.reason,
      // A call an earlier grant let through names the key it was granted for.
      meta: { phase: 'call', ...(verdict.approvalKey ? { key: verdict.approvalKey } : {}) },
    });
    return ok ? verdict : this.auditFailed(verdict);
  }

  private auditFailed(verdict: Pick<Verdict, 'labels'>): Verdict {
    return {
      decision: 'deny',
      rule: 'audit',
      reason: 'the audit log could not be written, so the call was not forwarded',
      labels: verdict.labels,
    };
  }

  /** Scans the result, records it; a result that cannot be recorded is withheld. */
  async inspect(call: ToolCall, method: string, result: ToolResult): Promise<ResultVerdict | Verdict> {
    const clean = this.options.credentials ? this.options.credentials.redactResult(result) : result;
    const rv = this.options.guard.inspectResult(this.session, call, clean);
    const ok = await this.record({
      server: call.server,
      tool: call.tool,
      method,
      labels: rv.labels,
      rule: rv.rule,
      decision: rv.decision,
      reason: rv.reason,
      resultDigest: rv.digest,
      meta: { phase: 'result', call: call.callId, flags: rv.flags },
    });
    if (ok) return rv;
    return {
      decision: 'deny',
      rule: 'audit',
      reason: 'the audit log could not be written, so the result was withheld',
      labels: rv.labels,
    };
  }

  /** Records that the tool failed to answer; the reason is redacted of secrets. */
  async failed(call: ToolCall, method: string, failure: Omit<ForwardFailure, 'throw'>): Promise<string> {
    const reason = this.redact(failure.reason);
    this.options.onEvent?.('upstream', `${call.server}/${call.tool}: ${reason}`);
    await this.record({
      server: call.server,
      tool: call.tool,
      method,
      decision: 'error',
      rule: failure.rule,
      reason,
      meta: { phase: 'result', call: call.callId },
    });
    return reason;
  }

  redact(text: string): string {
    return this.options.credentials ? this.options.credentials.redactText(text) : text;
  }

  /** The refusal the client sees as a failed tool call. */
  denial(
    call: ToolCall,
    verdict: Pick<Verdict, 'rule' | 'reason' | 'labels'>,
    decision = 'deny',
  ): ToolResult {
    return {
      content: [{ type: 'text', text: `[portcullis] Denied ${call.server}/${call.tool}: ${verdict.reason}` }],
      isError: true,
      _meta: {
        portcullis: {
          decision,
          rule: verdict.rule,
          reason: verdict.reason,
          labels: verdict.labels,
          flags: [],
        },
      },
    };
  }

  /**
   * The whole path of one tool call. `forward` receives the arguments to send (rewritten by a
   * transform, secrets injected); `classify` turns its failure into a recorded refusal.
   */
  async run(
    call: ToolCall,
    method: string,
    forward: (args: Record<string, unknown>) => Promise<ToolResult>,
    classify: (e: unknown) => ForwardFailure,
    signal?: AbortSignal,
  ): Promise<ToolResult> {
    const verdict = await this.admit(call, method, signal);
    if (verdict.decision !== 'allow' && verdict.decision !== 'transform') return this.denial(call, verdict);
    let result: ToolResult;
    try {
      const args = verdict.arguments ?? call.arguments;
      result = await forward(this.options.credentials ? this.options.credentials.inject(call, args) : args);
    } catch (e) {
      const failure = classify(e);
      const reason = await this.failed(call, method, failure);
      if (failure.throw !== undefined) throw failure.throw;
      return this.denial(call, { rule: failure.rule, reason, labels: verdict.labels }, 'error');
    }
    const rv = await this.inspect(call, method, result);
    return 'result' in rv ? rv.result : this.denial(call, rv);
  }
}
