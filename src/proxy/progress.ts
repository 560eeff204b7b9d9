// Progress notes carry text from the server mid-call, before the result the guard inspects: they
// are screened like results on every face: their text is dropped when it carries an injection (the
// progress numbers still flow, so the client's progress bar keeps working) and secrets are redacted.

import { redactSecrets, scanText } from '../text/index.js';

export type Progress = { progress: number; total?: number; message?: string };

const MAX_MESSAGE = 64 * 1024;

export function screenProgress(p: Progress): Progress {
  if (typeof p.message !== 'string' || p.message.length === 0) return p;
  const scan = scanText(p.message.slice(0, MAX_MESSAGE));
  if (scan.injection.verdict !== 'clean' || p.message.length > MAX_MESSAGE) {
    const { message: _dropped, ...rest } = p;
    return rest;
  }
  return scan.secrets.length === 0 ? p : { ...p, message: redactSecrets(p.message, scan.secrets) };
}
