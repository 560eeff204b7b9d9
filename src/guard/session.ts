// One agent conversation as the guard sees it: which labels have entered the context, the provenance
// ledger, and quarantined results held back from the model.

import { randomBytes } from 'node:crypto';
import { ProvenanceLedger } from './provenance.js';
import type { GuardSession, SourceLabel } from './types.js';

const MAX_QUARANTINED = 256;
const MAX_QUARANTINE_CHARS = 32 * 1024 * 1024;

export class Session implements GuardSession {
  readonly id: string;
  readonly labels = new Set<SourceLabel>();
  readonly provenance = new ProvenanceLedger();
  /** Why each label was raised (tool that raised it first), for reasons users can act on. */
  readonly labelOrigins = new Map<SourceLabel, string>();
  private readonly quarantine = new Map<string, string>();
  private quarantineChars = 0;

  constructor(id: string) {
    this.id = id;
  }

  addTrustedInput(text: string): void {
    if (typeof text === 'string') this.provenance.addTrusted(text);
  }

  raise(label: SourceLabel, origin: string): void {
    if (!this.labels.has(label)) {
      this.labels.add(label);
      this.labelOrigins.set(label, origin);
    }
  }

  /** Keeps a quarantined text and returns its handle; the oldest are dropped past the caps. */
  hold(text: string): string {
    const handle = `q-${randomBytes(9).toString('base64url')}`;
    this.quarantine.set(handle, text);
    this.quarantineChars += text.length;
    for (const [h, t] of this.quarantine) {
      if (this.quarantine.size <= MAX_QUARANTINED && this.quarantineChars <= MAX_QUARANTINE_CHARS) break;
      if (h === handle) break;
      this.quarantine.delete(h);
      this.quarantineChars -= t.length;
    }
    return handle;
  }

  releaseQuarantined(handle: string): string | undefined {
    return this.quarantine.get(handle);
  }
}
