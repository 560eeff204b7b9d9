// Value-level APIs: calls that matter for what a value is rather than as effects — imports
// (`require`, `__import__`, `import_module`), getattr, decoders (base64, hex, rot13, char codes,
// URI escapes), path and URL building, home directories, environment reads and dumps, and the
// clock, randomness and host queries that make a condition a gate.

import type { Expr } from '../facts.js';
import type { CallArgs } from './call-args.js';
import { b64decode, bufferFrom, charCodes, constItems, hexdecode, rot13 } from './fold.js';
import type { FnInterp } from './interp.js';
import { canonicalModule } from './modules.js';
import { dynamicMember } from './sinks.js';
import type { EffectRec } from './summary.js';
import {
  concatValues,
  constStr,
  join,
  konst,
  MARK_ENV,
  MARK_RANDOM,
  MARK_TIME,
  mkTaint,
  opaque,
  TOP,
  taintOf,
  type V,
  withMarks,
  withTaint,
} from './values.js';

export function valueApi(
  ip: FnInterp,
  kind: string,
  callee: V & { k: 'ref' },
  call: CallArgs,
  depth: number,
): V | undefined {
  const a0 = call.args[0];
  const s0 = constStr(a0);
  switch (kind) {
    case 'import':
      return importCall(ip, callee, call);
    case 'getattr': {
      if (!a0) return TOP;
      const nameV = call.args[1];
      const name = constStr(nameV);
      if (name !== undefined) return ip.attr(a0, name, true, call.loc.line, nameV?.built === true);
      if (a0.k === 'ref') return dynamicMember(a0, nameV);
      return opaque(a0, nameV);
    }
    case 'no-data':
      return TOP;
    case 'identity':
      return a0 ?? TOP;
    case 'home':
      return ip.lang === 'py' ? { k: 'ref', path: 'pathlib.Path()', target: konst('~') } : konst('~');
    case 'expanduser':
      return a0 ?? TOP;
    case 'path-join':
    case 'path-new': {
      const parts: V[] = [];
      for (const a of call.args) {
        const seg = a.k === 'ref' && a.target ? a.target : a;
        const s = constStr(seg);
        if (s !== undefined && (s.startsWith('/') || s.startsWith('~')) && parts.length) parts.length = 0;
        if (parts.length) parts.push(konst('/'));
        parts.push(seg);
      }
      const joined = parts.length ? concatValues(parts) : konst('.');
      const v = joined.k === 'const' ? { ...joined, built: false } : joined;
      return kind === 'path-new' ? { k: 'ref', path: 'pathlib.Path()', target: v } : v;
    }
    case 'url-new': {
      // `new URL(path, base)` / `urljoin(base, path)`: the base first unless the path is absolute.
      const [first, second] = ip.lang === 'js' ? [call.args[1], a0] : [a0, call.args[1]];
      const rel = second ?? TOP;
      const absolute = /^[a-z][\w+.-]*:/i.test(constStr(rel.k === 'str' ? rel.parts[0] : rel) ?? '');
      const target = first && !absolute ? concatValues([first, rel]) : rel;
      return ip.lang === 'js' ? { k: 'ref', path: 'URL()', target } : target;
    }
    case 'path-self':
      return callee.target ? { k: 'ref', path: 'pathlib.Path()', target: callee.target } : undefined;
    case 'path-joinpath': {
      if (!callee.target) return undefined;
      const parts: V[] = [callee.target];
      for (const a of call.args) parts.push(konst('/'), a.k === 'ref' && a.target ? a.target : a);
      return { k: 'ref', path: 'pathlib.Path()', target: concatValues(parts) };
    }
    case 'env-get': {
      const mapping = callee.path.startsWith('os.environ') ? 'os.environ' : callee.path;
      const v = ip.envRead(a0 ?? TOP, mapping, call.loc);
      const dflt = call.args[1] ?? call.kwargs.get('default');
      return dflt ? withTaint(join(v, dflt), v.taint, v.marks) : v;
    }
    case 'env-dump': {
      const envArg = callee.path.startsWith('os.environ.') ? { k: 'ref' as const, path: 'os.environ' } : a0;
      if (envArg?.k === 'ref' && (envArg.path === 'os.environ' || envArg.path === 'process.env')) {
        ip.addEffect({
          capability: 'secret',
          api: callee.path,
          location: call.loc,
          target: konst(envArg.path),
        });
        return {
          k: 'top',
          taint: [mkTaint({ kind: 'secret', detail: 'entire environment', location: call.loc }, [])],
        };
      }
      return undefined;
    }
    case 'time':
      return withMarks({ k: 'ref', path: `${callee.path}()` }, MARK_TIME);
    case 'random':
      return withMarks({ k: 'top' }, MARK_RANDOM);
    case 'platform':
      return withMarks({ k: 'ref', path: `${callee.path}()` }, MARK_ENV);
    case 'b64decode':
      return decoded(s0 === undefined ? undefined : b64decode(s0), a0);
    case 'hexdecode':
      return decoded(s0 === undefined ? undefined : hexdecode(s0), a0);
    case 'rot13': {
      const enc = constStr(call.args[1] ?? call.kwargs.get('encoding'))
        ?.toLowerCase()
        .replace(/[-_]/g, '');
      if (s0 === undefined || !enc) return undefined;
      if (enc === 'rot13') return decoded(rot13(s0), a0);
      if (enc === 'hex') return decoded(hexdecode(s0), a0);
      if (enc === 'base64') return decoded(b64decode(s0), a0);
      return undefined;
    }
    case 'atob':
      return decoded(s0 === undefined ? undefined : b64decode(s0), a0);
    case 'buffer-from': {
      if (a0?.k === 'arr') return decoded(charCodes(a0.items), a0);
      const enc = constStr(call.args[1]);
      if (s0 === undefined) return opaque(a0);
      const out = bufferFrom(s0, enc);
      if (out === undefined) return opaque(a0);
      if (enc && !/^utf-?8$/i.test(enc)) return konst(out, 'decoded');
      return konst(out, a0?.dec ? 'decoded' : a0?.built);
    }
    case 'from-char-code': {
      let items = call.args;
      const first = call.raw.args[0];
      if (call.args.length === 1 && first?.k === 'other' && first.parts.length === 1) {
        const inner = ip.eval(first.parts[0] as Expr, depth + 1);
        const ci = constItems(inner);
        if (ci) items = ci;
      }
      return decoded(charCodes(items), opaque(...items));
    }
    case 'chr': {
      const n = a0?.k === 'const' && typeof a0.v === 'number' ? a0.v : undefined;
      if (n === undefined || n < 0 || n > 0x10ffff || !Number.isInteger(n)) return opaque(a0);
      return konst(String.fromCodePoint(n), 'decoded');
    }
    case 'uri-decode': {
      if (s0 === undefined) return opaque(a0);
      try {
        return konst(decodeURIComponent(s0), 'decoded');
      } catch {
        return opaque(a0);
      }
    }
    case 'schema-identity':
      return a0 ?? TOP;
    default:
      return undefined;
  }
}

function decoded(text: string | undefined, from: V | undefined): V {
  if (text === undefined) return opaque(from);
  return withTaint(konst(text, 'decoded'), from?.taint);
}

function importCall(ip: FnInterp, callee: V & { k: 'ref' }, call: CallArgs): V {
  const a0 = call.args[0] ?? call.kwargs.get('name');
  const spec = constStr(a0);
  if (spec === undefined) {
    const effect: Omit<EffectRec, 'callPath'> = {
      capability: 'dynamic-code',
      api: callee.path,
      location: call.loc,
      unresolved: true,
    };
    if (a0 && a0.k !== 'top') effect.target = a0;
    const data = taintOf(a0);
    if (data?.length) effect.data = data;
    ip.addEffect(effect);
    return opaque(a0);
  }
  const file = ip.engine.index.resolve(ip.file, spec);
  if (file) return { k: 'mod', file };
  const out: V = { k: 'ref', path: canonicalModule(spec) };
  if (a0?.built || callee.path === '__import__' || callee.path === 'builtins.__import__' || callee.obf)
    out.obf = true;
  return out;
}
