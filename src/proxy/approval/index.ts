// The approval channels of the proxy and the store they grant into, from the `--approval` mode:
// auto (in-protocol → terminal → web), or one of them alone, or none (require-approval denies).

import { type ApprovalChannel, ApprovalStore } from '../../guard/index.js';
import { ApprovalChain, DEFAULT_APPROVAL_TIMEOUT_MS } from './chain.js';
import { InProtocolChannel } from './in-protocol.js';
import { TerminalChannel, type TerminalStreams } from './terminal.js';
import { WebChannel } from './web.js';

export { ApprovalChain, DEFAULT_APPROVAL_TIMEOUT_MS } from './chain.js';
export { type ClientRequestContext, currentClientRequest, runInClientRequest } from './context.js';
export { inert, viewOf } from './describe.js';
export { APPROVAL_INPUT_KEY, InProtocolChannel } from './in-protocol.js';
export { openControllingTerminal, TerminalChannel, type TerminalStreams } from './terminal.js';
export { WebChannel } from './web.js';

export const APPROVAL_MODES = ['auto', 'elicitation', 'terminal', 'web', 'none'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export interface ApprovalSetupOptions {
  mode: ApprovalMode;
  /** How long a human has to answer, ms (default 120 s); no answer denies. */
  timeoutMs?: number;
  /** How long a grant stands, ms (default 10 min). */
  ttlMs?: number;
  /** Where the web channel prints its URL (stderr in the CLI). */
  announce?: (line: string) => void;
  /** The terminal to ask on (default /dev/tty). */
  openTerminal?: () => TerminalStreams | undefined;
}

export interface ApprovalSetup {
  mode: ApprovalMode;
  /** The store the engine reads (GuardOptions.approvals) and the gate grants into. */
  store: ApprovalStore;
  /** What the core asks through; undefined for `none`. */
  channel: ApprovalChain | undefined;
  web: WebChannel | undefined;
  close(): Promise<void>;
}

export function createApprovals(options: ApprovalSetupOptions): ApprovalSetup {
  const timeoutMs = options.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
  const store = new ApprovalStore(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {});
  const { mode } = options;
  const members: ApprovalChannel[] = [];
  let terminal: TerminalChannel | undefined;
  let web: WebChannel | undefined;
  if (mode === 'auto' || mode === 'elicitation') members.push(new InProtocolChannel({ timeoutMs }));
  if (mode === 'auto' || mode === 'terminal') {
    terminal = new TerminalChannel({
      when: mode === 'auto' ? 'stderr-tty' : 'always',
      timeoutMs,
      ...(options.openTerminal ? { open: options.openTerminal } : {}),
    });
    members.push(terminal);
  }
  if (mode === 'auto' || mode === 'web') {
    web = new WebChannel({ timeoutMs, ...(options.announce ? { announce: options.announce } : {}) });
    members.push(web);
  }
  const channel = members.length > 0 ? new ApprovalChain(members, { timeoutMs, grants: store }) : undefined;
  return {
    mode,
    store,
    channel,
    web,
    close: async () => {
      terminal?.close();
      await web?.close();
    },
  };
}
