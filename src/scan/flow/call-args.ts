// The arguments of one call as the interpreter evaluated them, shared by the call semantics.

import type { Location } from '../../core/types.js';
import type { Expr } from '../facts.js';
import type { V } from './values.js';

export interface CallArgs {
  args: V[];
  kwargs: Map<string, V>;
  loc: Location;
  isNew: boolean;
  /** Raw call expression (for spreads). */
  raw: Extract<Expr, { k: 'call' }>;
  /** The variable a method was called on (`sock` in `sock.connect(…)`), to remember a target. */
  recvName?: string;
}

/** Positional and keyword arguments together. */
export function allArgs(call: CallArgs): V[] {
  return [...call.args, ...call.kwargs.values()];
}
