// Local errors carry a documented string code and, where it applies, the place in the input.

export type ErrorCode =
  | 'USAGE'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_INVALID'
  | 'POLICY_INVALID'
  | 'LOCK_INVALID'
  | 'SIGNATURE_INVALID'
  | 'KEY_INVALID'
  | 'INTERNAL';

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  /** JSON pointer or dotted path of the offending field. */
  field?: string;
}

export class PortcullisError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;

  constructor(code: ErrorCode, message: string, location?: ErrorLocation, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PortcullisError';
    this.code = code;
    this.location = location;
  }

  /** `file:line:column: message (field)` — the form every CLI error is printed in. */
  format(): string {
    const loc = this.location;
    if (!loc) return this.message;
    let where = loc.file ?? '';
    if (loc.line !== undefined) where += `:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ''}`;
    const field = loc.field ? ` (at ${loc.field})` : '';
    return where ? `${where}: ${this.message}${field}` : `${this.message}${field}`;
  }
}
