// Argument constraints, compiled once per policy rule. Each compiled check takes the argument's value
// and returns why it is refused, or undefined. Values are judged in canonical form: paths resolved
// (`~`, `..`, symlinks of the longest existing prefix), hosts lower-cased and punycoded, e-mail
// lists split into addresses, so a model cannot slip past a rule with an equivalent spelling.

import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { domainToASCII } from 'node:url';
import { pathGlobMatch } from '../glob.js';
import { compileBoundedPattern, MAX_MATCH_INPUT } from './regex.js';
import type { ArgConstraint } from './schema.js';

export type ArgCheck = (value: unknown) => string | undefined;

const MAX_PATH_LENGTH = 4096;
const MAX_LIST_ITEMS = 1000;

export interface ConstraintContext {
  /** Directory relative paths resolve against (the proxy's working directory). */
  cwd: string;
  home: string;
}

export function defaultConstraintContext(): ConstraintContext {
  return { cwd: process.cwd(), home: homedir() };
}

export function compileConstraint(arg: string, c: ArgConstraint, ctx: ConstraintContext): ArgCheck {
  const checks: ArgCheck[] = [];
  if (c.path) checks.push(eachString(arg, pathCheck(arg, c.path, ctx)));
  if (c.url) checks.push(eachString(arg, urlCheck(arg, c.url)));
  if (c.email) checks.push(emailCheck(arg, c.email.domains));
  if (c.number) checks.push(numberCheck(arg, c.number));
  if (c.string) checks.push(eachString(arg, stringCheck(arg, c.string)));
  return (value) => {
    if (value === undefined) return undefined; // absence is the schema's business (`required`)
    for (const check of checks) {
      const why = check(value);
      if (why) return why;
    }
    return undefined;
  };
}

/** Applies a string check to a string or to every item of a list of strings; anything else fails. */
function eachString(arg: string, check: (s: string) => string | undefined): ArgCheck {
  return (value) => {
    if (typeof value === 'string') return check(value);
    if (Array.isArray(value) && value.length <= MAX_LIST_ITEMS) {
      for (const item of value) {
        if (typeof item !== 'string') return `argument "${arg}" must be a string or a list of strings`;
        const why = check(item);
        if (why) return why;
      }
      return undefined;
    }
    return `argument "${arg}" must be a string or a list of strings`;
  };
}

// ---------------------------------------------------------------- paths

export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return home + p.slice(1);
  return p;
}

/** Resolves `~`, `.`/`..` and the symlinks of the longest existing prefix of the path. */
export function canonicalPath(p: string, ctx: ConstraintContext): string {
  return resolveLinks(resolve(ctx.cwd, expandHome(p, ctx.home)), 0);
}

const MAX_LINK_HOPS = 40;

function resolveLinks(abs: string, hops: number): string {
  // Walk up (lstat: no exceptions on the hot path) to the longest prefix that is an entry on disk.
  let head = abs;
  const tail: string[] = [];
  let st = lstatSync(head, { throwIfNoEntry: false });
  while (!st) {
    const parent = dirname(head);
    if (parent === head) return abs;
    tail.push(basename(head));
    head = parent;
    st = lstatSync(head, { throwIfNoEntry: false });
  }
  let real: string;
  try {
    real = realpathSync.native(head);
  } catch {
    // A dangling symlink: a file created through it lands at its target, so follow it by hand.
    if (!st.isSymbolicLink() || hops >= MAX_LINK_HOPS) return abs;
    let target: string;
    try {
      target = readlinkSync(head);
    } catch {
      return abs;
    }
    real = resolveLinks(resolve(dirname(head), target), hops + 1);
  }
  return tail.length === 0 ? real : resolve(real, ...tail.reverse());
}

function canonicalGlob(g: string, ctx: ConstraintContext): string {
  const expanded = expandHome(g, ctx.home);
  const abs = isAbsolute(expanded) ? expanded : resolve(ctx.cwd, expanded);
  // Resolve the literal directory part of the glob too, so `/tmp/x/**` matches on macOS's /private/tmp.
  const parts = abs.split('/');
  const firstWild = parts.findIndex((s) => s.includes('*') || s.includes('?'));
  if (firstWild === -1) return canonicalPath(abs, ctx);
  const literal = parts.slice(0, firstWild).join('/') || '/';
  const rest = parts.slice(firstWild).join('/');
  const base = canonicalPath(literal, ctx);
  return `${base === '/' ? '' : base}/${rest}`;
}

function pathCheck(arg: string, c: NonNullable<ArgConstraint['path']>, ctx: ConstraintContext) {
  const allow = (c.allow ?? []).map((g) => canonicalGlob(g, ctx));
  const deny = (c.deny ?? []).map((g) => canonicalGlob(g, ctx));
  // A directory glob `dir/**` also names `dir` itself.
  const matches = (globs: string[], p: string) =>
    globs.some((g) => pathGlobMatch(g, p) || (g.endsWith('/**') && pathGlobMatch(g.slice(0, -3), p)));
  return (value: string): string | undefined => {
    if (value.length === 0) return `argument "${arg}" is an empty path`;
    if (value.length > MAX_PATH_LENGTH || value.includes('\0'))
      return `argument "${arg}" is not a usable path`;
    let path = value;
    if (path.startsWith('file://')) {
      try {
        path = decodeURIComponent(new URL(path).pathname);
      } catch {
        return `argument "${arg}" is not a usable file URL`;
      }
    }
    const canon = canonicalPath(path, ctx);
    if (matches(deny, canon)) return `argument "${arg}" names ${canon}, which the policy denies`;
    if (c.allow && !matches(allow, canon))
      return `argument "${arg}" names ${canon}, outside the allowed paths`;
    return undefined;
  };
}

// ---------------------------------------------------------------- hosts, URLs, e-mail

/** Lower-case ASCII (punycode) form of a host name; '' when it is not a valid name. */
export function canonicalHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.startsWith('[')) return h; // IPv6 literal
  return domainToASCII(h);
}

export function compileHostPatterns(patterns: string[]): (host: string) => boolean {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const p of patterns) {
    if (p.startsWith('*.')) suffixes.push(`.${canonicalHost(p.slice(2))}`);
    else exact.add(canonicalHost(p));
  }
  return (host) => {
    const h = canonicalHost(host);
    if (!h) return false;
    return exact.has(h) || suffixes.some((s) => h.endsWith(s) && h.length > s.length);
  };
}

function urlCheck(arg: string, c: NonNullable<ArgConstraint['url']>) {
  const hostAllowed = c.hosts ? compileHostPatterns(c.hosts) : undefined;
  const schemes = new Set((c.schemes ?? ['https']).map((s) => `${s}:`));
  return (value: string): string | undefined => {
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      return `argument "${arg}" is not an absolute URL`;
    }
    if (!schemes.has(url.protocol))
      return `argument "${arg}" uses scheme ${url.protocol.slice(0, -1)}, which the policy does not allow`;
    if (url.username || url.password)
      return `argument "${arg}" carries credentials before the host (${url.hostname}), which is refused`;
    if (hostAllowed && !hostAllowed(url.hostname))
      return `argument "${arg}" points at host ${url.hostname}, which is not in the allowed hosts`;
    return undefined;
  };
}

/** Addresses in a value: a string (one address, or a `,`/`;` list, `Name <addr>` allowed) or a list. */
export function emailAddresses(value: unknown): string[] | undefined {
  const out: string[] = [];
  const add = (s: string): boolean => {
    for (const part of s.split(/[,;\n]/)) {
      const t = part.trim();
      if (!t) continue;
      const angle = /<([^<>]*)>\s*$/.exec(t);
      out.push((angle ? (angle[1] as string) : t).trim());
      if (out.length > MAX_LIST_ITEMS) return false;
    }
    return true;
  };
  if (typeof value === 'string') return add(value) ? out : undefined;
  if (Array.isArray(value) && value.length <= MAX_LIST_ITEMS) {
    for (const v of value) {
      if (typeof v === 'string') {
        if (!add(v)) return undefined;
      } else if (v && typeof v === 'object' && typeof (v as { email?: unknown }).email === 'string') {
        if (!add((v as { email: string }).email)) return undefined;
      } else {
        return undefined;
      }
    }
    return out;
  }
  return undefined;
}

function emailCheck(arg: string, domains: string[]): ArgCheck {
  const allowed = compileHostPatterns(domains);
  return (value) => {
    const addresses = emailAddresses(value);
    if (!addresses) return `argument "${arg}" must be an e-mail address or a list of addresses`;
    if (addresses.length === 0) return `argument "${arg}" has no e-mail address`;
    for (const a of addresses) {
      const at = a.lastIndexOf('@');
      if (at <= 0 || at === a.length - 1 || a.indexOf('@') !== at)
        return `argument "${arg}" contains "${a}", which is not a plain e-mail address`;
      const domain = a.slice(at + 1);
      if (!allowed(domain)) return `argument "${arg}" sends to ${a}, whose domain is not allowed`;
    }
    return undefined;
  };
}

// ---------------------------------------------------------------- numbers and strings

function numberCheck(arg: string, c: NonNullable<ArgConstraint['number']>): ArgCheck {
  return (value) => {
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : Number.NaN;
    if (!Number.isFinite(n)) return `argument "${arg}" must be a number`;
    if (c.min !== undefined && n < c.min) return `argument "${arg}" is ${n}, below the minimum ${c.min}`;
    if (c.max !== undefined && n > c.max) return `argument "${arg}" is ${n}, above the maximum ${c.max}`;
    return undefined;
  };
}

function stringCheck(arg: string, c: NonNullable<ArgConstraint['string']>) {
  const re = c.pattern !== undefined ? compileBoundedPattern(c.pattern) : undefined;
  return (value: string): string | undefined => {
    if (c.maxLength !== undefined && value.length > c.maxLength)
      return `argument "${arg}" is longer than ${c.maxLength} characters`;
    if (re) {
      if (value.length > MAX_MATCH_INPUT) return `argument "${arg}" is too long to check against its pattern`;
      if (!re.test(value)) return `argument "${arg}" does not match the pattern the policy requires`;
    }
    return undefined;
  };
}
