// Terminal styling: colour only on a TTY, and never when NO_COLOR is set (https://no-color.org).
import type { Severity } from '../core/types.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  severity(sev: Severity, s: string): string;
  ok(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    const id = (s: string) => s;
    return { bold: id, dim: id, severity: (_sev, s) => s, ok: id };
  }
  const red = wrap(31, 39);
  const magenta = wrap(35, 39);
  const yellow = wrap(33, 39);
  const cyan = wrap(36, 39);
  const bold = wrap(1, 22);
  const bySeverity: Record<Severity, (s: string) => string> = {
    critical: (s) => bold(magenta(s)),
    high: (s) => bold(red(s)),
    medium: yellow,
    low: cyan,
    info: wrap(2, 22),
  };
  return { bold, dim: wrap(2, 22), severity: (sev, s) => bySeverity[sev](s), ok: wrap(32, 39) };
}

export function useColor(stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
