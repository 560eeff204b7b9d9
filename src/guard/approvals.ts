// Approvals a human has granted, bound to the approval key (hash of server + tool + canonical
// arguments). The engine reads them through ApprovalLookup before it returns require-approval; the
// gate writes them when a channel's answer is a grant. A `once` grant is consumed by the one lookup
// that finds it, so it can never let a second identical call through; a `session` grant stands for
// identical calls in that session until it expires. Bounded: when full, the oldest grant goes (the
// human is asked again, which fails safe).

import type { ApprovalLookup } from './types.js';

export type ApprovalScope = 'once' | 'session';

/** Where granted answers are remembered; the engine's ApprovalLookup reads the same store. */
export interface ApprovalGrants extends ApprovalLookup {
  grant(sessionId: string, approvalKey: string, scope: ApprovalScope, by: string): void;
}

export interface ApprovalStoreOptions {
  /** How long a grant stands, ms (default 10 minutes). */
  ttlMs?: number;
  /** Most grants held at once (default 10 000). */
  maxEntries?: number;
  /** Clock in ms, injectable for tests. */
  now?: () => number;
}

export interface ApprovalGrant {
  sessionId: string;
  approvalKey: string;
  scope: ApprovalScope;
  by: string;
  grantedAt: number;
  expiresAt: number;
}

export const DEFAULT_APPROVAL_TTL_MS = 10 * 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;

export class ApprovalStore implements ApprovalGrants {
  private readonly grants = new Map<string, ApprovalGrant>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: ApprovalStoreOptions = {}) {
    const ttl = options.ttlMs ?? DEFAULT_APPROVAL_TTL_MS;
    const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    // Invalid configuration throws at setup, never at call time.
    if (!Number.isFinite(ttl) || ttl <= 0) throw new RangeError(`approval ttl must be > 0 ms, got ${ttl}`);
    if (!Number.isSafeInteger(max) || max < 1)
      throw new RangeError(`approval store size must be a positive integer, got ${max}`);
    this.ttlMs = ttl;
    this.maxEntries = max;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.grants.size;
  }

  grant(sessionId: string, approvalKey: string, scope: ApprovalScope, by: string): void {
    if (typeof approvalKey !== 'string' || approvalKey.length === 0) throw new Error('no approval key');
    if (scope !== 'once' && scope !== 'session') throw new Error(`unknown approval scope ${String(scope)}`);
    const id = slot(sessionId, approvalKey);
    const t = this.now();
    this.grants.delete(id); // re-inserted last: the freshest grant is the last to be evicted
    if (this.grants.size >= this.maxEntries) this.evict(t);
    this.grants.set(id, { sessionId, approvalKey, scope, by, grantedAt: t, expiresAt: t + this.ttlMs });
  }

  /** True when a live grant covers this call; a `once` grant is used up by this lookup. */
  isApproved(sessionId: string, approvalKey: string): boolean {
    const id = slot(sessionId, approvalKey);
    const g = this.grants.get(id);
    if (!g) return false;
    if (this.now() >= g.expiresAt) {
      this.grants.delete(id);
      return false;
    }
    if (g.scope === 'once') this.grants.delete(id);
    return true;
  }

  /** Withdraws every grant of a session (when it ends). */
  endSession(sessionId: string): void {
    for (const [id, g] of this.grants) if (g.sessionId === sessionId) this.grants.delete(id);
  }

  /** The live grants, oldest first (for display). */
  list(): ApprovalGrant[] {
    const t = this.now();
    return [...this.grants.values()].filter((g) => g.expiresAt > t).map((g) => ({ ...g }));
  }

  private evict(t: number): void {
    for (const [id, g] of this.grants) if (g.expiresAt <= t) this.grants.delete(id);
    while (this.grants.size >= this.maxEntries) {
      const oldest = this.grants.keys().next().value;
      if (oldest === undefined) break;
      this.grants.delete(oldest);
    }
  }
}

function slot(sessionId: string, approvalKey: string): string {
  return `${sessionId}\u0000${approvalKey}`;
}
