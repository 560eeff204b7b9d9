// Progress notes carry text from the server mid-call, before the result the guard inspects: they
// are screened like results on every face, and their text dropped when it carries an injection or
// a secret (the progress numbers still flow, so the client's progress bar keeps working).

import { scanText } from '../text/index.js';

export type Progress = { progress: number; total?: number; message?: string };

const MAX_MESSAGE = 64 * 1024;

export function screenProgress(p: Progress): Progress {
  if (typeof p.message !== 'string' || p.message.length === 0) return p;
  const scan = scanText(p.message.slice(0, MAX_MESSAGE));
  if (scan.injection.verdict === 'clean' && scan.secrets.length === 0 && p.message.length <= MAX_MESSAGE)
    return p;
  const { message: _dropped, ...rest } = p;
  return rest;
}
