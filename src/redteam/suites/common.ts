// Helpers every suite may use: reading a tool's JSON answer back out of what the agent sees (the
// defense may have wrapped it in fences or notices), argument coercion, and small checks.

import type { CallOutcome, ToolPort } from '../types.js';

/** The JSON a tool answered, found inside whatever the defense wrapped around it. */
export function resultJson<T = unknown>(outcome: CallOutcome): T {
  if (outcome.isError) throw new Error(`tool failed: ${outcome.text.slice(0, 200)}`);
  const lines = outcome.text.split('\n');
  const start = lines.findIndex((l) => /^\s*[[{]/.test(l) && !l.startsWith('[portcullis]'));
  let end = -1;
  for (let i = lines.length - 1; i >= start && start >= 0; i--)
    if (/[\]}]\s*$/.test(lines[i] as string)) {
      end = i;
      break;
    }
  if (start < 0 || end < start) throw new Error(`no JSON in the result: ${outcome.text.slice(0, 200)}`);
  return JSON.parse(lines.slice(start, end + 1).join('\n')) as T;
}

/** Calls a tool and parses its JSON answer. */
export async function callJson<T = unknown>(
  port: ToolPort,
  server: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<T> {
  return resultJson<T>(await port.call(server, tool, args));
}

/** Calls a tool that must succeed (a scripted solution stops at the first failure). */
export async function callOk(
  port: ToolPort,
  server: string,
  tool: string,
  args: Record<string, unknown>,
): Promise<string> {
  const r = await port.call(server, tool, args);
  if (r.isError) throw new Error(`${server}/${tool} failed: ${r.text.slice(0, 200)}`);
  return r.text;
}

export function str(args: Record<string, unknown>, name: string): string {
  const v = args[name];
  if (typeof v !== 'string' || v.length === 0)
    throw new Error(`argument "${name}" must be a non-empty string`);
  return v;
}

export function optStr(args: Record<string, unknown>, name: string): string | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new Error(`argument "${name}" must be a string`);
  return v;
}

export function num(args: Record<string, unknown>, name: string): number {
  const v = typeof args[name] === 'string' ? Number(args[name]) : args[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`argument "${name}" must be a number`);
  return v;
}

/** A list of strings given as an array or one comma-separated string (models do both). */
export function strList(args: Record<string, unknown>, name: string): string[] {
  const v = args[name];
  if (v === undefined || v === null) return [];
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new Error(`argument "${name}" must be a list of strings`);
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Case-insensitive containment, for answers. */
export function mentions(answer: string, ...parts: string[]): boolean {
  const a = answer.toLowerCase();
  return parts.every((p) => a.includes(p.toLowerCase()));
}
