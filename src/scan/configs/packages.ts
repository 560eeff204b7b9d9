// Which package a launcher fetches and runs (`npx -y pkg`, `uvx --from pkg==1.0 cmd`, `pipx run`,
// `docker run image`), and whether that names one exact version. Option tables are data: an option
// that takes a value must be listed, or its value would be taken for the package.

import { programName } from './launch.js';

export type Ecosystem = 'npm' | 'pypi' | 'docker' | 'deno';

export interface PackageRun {
  launcher: string;
  ecosystem: Ecosystem;
  /** The spec as written: `@scope/pkg@1.2.3`, `mcp-server-git==0.6.2`, `ghcr.io/org/img:tag`. */
  spec: string;
  pinned: boolean;
  /** Why it is not pinned (when it is not). */
  why?: string;
}

/** A local path handed to a launcher instead of a package (`npx ./server`, `uvx --from /tmp/pkg`). */
export interface LocalRun {
  launcher: string;
  path: string;
}

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const COMMIT = /^[0-9a-f]{40}$/i;

export function isLocalPath(spec: string): boolean {
  return (
    spec.startsWith('.') ||
    spec.startsWith('/') ||
    spec.startsWith('~') ||
    spec.startsWith('file:') ||
    /^[A-Za-z]:[\\/]/.test(spec) ||
    spec.startsWith('\\') ||
    spec.startsWith('$HOME') ||
    spec.startsWith('%')
  );
}

/** Package specs are short; anything longer is not analysed further (and is not one pinned version). */
const MAX_SPEC = 512;
const OVERLONG = { pinned: false, why: 'an overlong spec' } as const;

/** npm package spec: `name`, `name@range`, `@scope/name@1.2.3`, git and tarball URLs. */
export function npmSpecPinned(spec: string): { pinned: boolean; why?: string } {
  if (spec.length > MAX_SPEC) return OVERLONG;
  if (/^(?:git\+|git:|github:|gitlab:|bitbucket:)/.test(spec) || /^[\w.-]+\/[\w.-]+(?:#.*)?$/.test(spec)) {
    const ref = spec.split('#')[1];
    return ref && COMMIT.test(ref)
      ? { pinned: true }
      : { pinned: false, why: 'a git reference without a commit hash' };
  }
  if (/^https?:\/\//.test(spec)) return { pinned: false, why: 'a tarball URL whose content can change' };
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { pinned: false, why: 'no version' };
  const version = spec.slice(at + 1);
  if (version === '') return { pinned: false, why: 'no version' };
  if (EXACT_SEMVER.test(version)) return { pinned: true };
  return { pinned: false, why: `"${version}" is a tag or range, not one version` };
}

/** Python requirement spec: `pkg==1.2.3`, `pkg@1.2.3` (uv), `pkg[extra]===1.0`, `git+https://...@<commit>`. */
export function pypiSpecPinned(spec: string): { pinned: boolean; why?: string } {
  if (spec.length > MAX_SPEC) return OVERLONG;
  if (/^git\+/.test(spec) || spec.includes(' @ git+')) {
    const ref = spec.split('@').pop() ?? '';
    return COMMIT.test(ref.split('#')[0]!)
      ? { pinned: true }
      : { pinned: false, why: 'a git reference without a commit hash' };
  }
  if (/^https?:\/\//.test(spec)) return { pinned: false, why: 'an archive URL whose content can change' };
  const eq = spec.match(/(?<![~!<>=])===?\s*([^,;\s]+)$/);
  if (eq && !spec.includes(',') && /^[\w.+!-]+$/.test(eq[1]!) && !eq[1]!.includes('*'))
    return { pinned: true };
  const at = spec.lastIndexOf('@');
  if (at > 0) {
    const version = spec.slice(at + 1);
    if (version !== 'latest' && /^v?\d+(?:\.\d+)*(?:[a-z0-9.+-]*)$/i.test(version)) return { pinned: true };
    return { pinned: false, why: `"${version}" is not one version` };
  }
  if (/[<>~^=!]/.test(spec)) return { pinned: false, why: 'a version range' };
  return { pinned: false, why: 'no version' };
}

export function imagePinned(image: string): { pinned: boolean; why?: string } {
  if (image.length > MAX_SPEC) return OVERLONG;
  if (/@sha256:[0-9a-f]{64}$/i.test(image)) return { pinned: true };
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return { pinned: false, why: 'no tag (means :latest)' };
  const tag = image.slice(colon + 1);
  if (tag === 'latest' || tag === 'main' || tag === 'master' || tag === 'edge' || tag === 'nightly')
    return { pinned: false, why: `the moving tag ":${tag}"` };
  return { pinned: true };
}

/** Splits options from positionals. `withValue` options consume the next word unless written `--opt=value`. */
function positionals(
  args: string[],
  withValue: ReadonlySet<string>,
): { positional: string[]; values: Map<string, string[]> } {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('-') && a.length > 1) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (withValue.has(name)) {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (v !== undefined) values.set(name, [...(values.get(name) ?? []), v]);
      }
      continue;
    }
    // The first positional is the program; everything after it belongs to the program.
    positional.push(...args.slice(i));
    break;
  }
  return { positional, values };
}

const NPX_VALUE_OPTS = new Set([
  '-p',
  '--package',
  '-c',
  '--call',
  '--registry',
  '--cache',
  '--userconfig',
  '-w',
  '--workspace',
]);
const UVX_VALUE_OPTS = new Set([
  '--from',
  '--with',
  '--with-editable',
  '--with-requirements',
  '-p',
  '--python',
  '--index',
  '--index-url',
  '--extra-index-url',
  '--default-index',
  '-i',
  '-f',
  '--find-links',
  '--directory',
  '--project',
  '--config-file',
  '--cache-dir',
  '--constraints',
  '--overrides',
  '-c',
  '--env-file',
  '--index-strategy',
  '--keyring-provider',
  '--resolution',
  '--prerelease',
  '--exclude-newer',
  '--refresh-package',
  '--reinstall-package',
  '--upgrade-package',
  '-P',
  '--color',
  '--python-preference',
  '--link-mode',
]);
const PIPX_VALUE_OPTS = new Set(['--spec', '--python', '--pip-args', '--index-url', '-i']);
const DOCKER_VALUE_OPTS = new Set([
  '-e',
  '--env',
  '--env-file',
  '-v',
  '--volume',
  '--name',
  '-p',
  '--publish',
  '--network',
  '--net',
  '--mount',
  '-w',
  '--workdir',
  '-u',
  '--user',
  '--entrypoint',
  '--platform',
  '-l',
  '--label',
  '--add-host',
  '--cpus',
  '-m',
  '--memory',
  '--pull',
  '--cap-add',
  '--cap-drop',
  '--security-opt',
  '-h',
  '--hostname',
  '--dns',
  '--device',
  '--ulimit',
  '--tmpfs',
  '--log-driver',
  '--log-opt',
  '--restart',
  '--runtime',
  '--gpus',
  '--ipc',
  '--pid',
  '--shm-size',
  '--stop-signal',
  '--label-file',
  '--group-add',
  '--expose',
  '--cidfile',
  '--memory-swap',
  '--volumes-from',
]);

function npmRuns(launcher: string, args: string[], out: PackageRun[], local: LocalRun[]): void {
  const { positional, values } = positionals(args, NPX_VALUE_OPTS);
  const specs = [...(values.get('-p') ?? []), ...(values.get('--package') ?? [])];
  if (specs.length === 0 && positional[0]) specs.push(positional[0]);
  for (const spec of specs) {
    if (isLocalPath(spec)) local.push({ launcher, path: spec });
    else out.push({ launcher, ecosystem: 'npm', spec, ...npmSpecPinned(spec) });
  }
}

function pyRuns(
  launcher: string,
  args: string[],
  fromOpt: string,
  opts: ReadonlySet<string>,
  out: PackageRun[],
  local: LocalRun[],
): void {
  const { positional, values } = positionals(args, opts);
  const from = values.get(fromOpt);
  const specs = from?.length ? [...from] : positional[0] ? [positional[0]] : [];
  specs.push(...(values.get('--with') ?? []));
  for (const dir of [...(values.get('--directory') ?? []), ...(values.get('--project') ?? [])]) {
    local.push({ launcher, path: dir });
  }
  for (const spec of specs) {
    if (isLocalPath(spec)) local.push({ launcher, path: spec });
    else out.push({ launcher, ecosystem: 'pypi', spec, ...pypiSpecPinned(spec) });
  }
}

/** The packages (and local paths) one command line fetches and runs. */
export function packagesRun(argv: string[]): { packages: PackageRun[]; local: LocalRun[] } {
  const packages: PackageRun[] = [];
  const local: LocalRun[] = [];
  const name = programName(argv[0] ?? '');
  const rest = argv.slice(1);
  const sub = rest[0]?.toLowerCase();
  if (name === 'npx' || name === 'pnpx' || name === 'bunx') npmRuns(name, rest, packages, local);
  else if (name === 'npm' && (sub === 'exec' || sub === 'x'))
    npmRuns(`npm ${sub}`, rest.slice(1), packages, local);
  else if ((name === 'pnpm' || name === 'yarn') && sub === 'dlx')
    npmRuns(`${name} dlx`, rest.slice(1), packages, local);
  else if (name === 'bun' && sub === 'x') npmRuns('bun x', rest.slice(1), packages, local);
  else if (name === 'uvx') pyRuns('uvx', rest, '--from', UVX_VALUE_OPTS, packages, local);
  else if (name === 'uv' && sub === 'tool' && rest[1] === 'run')
    pyRuns('uv tool run', rest.slice(2), '--from', UVX_VALUE_OPTS, packages, local);
  else if (name === 'pipx' && sub === 'run')
    pyRuns('pipx run', rest.slice(1), '--spec', PIPX_VALUE_OPTS, packages, local);
  else if (
    (name === 'docker' || name === 'podman') &&
    (sub === 'run' || (sub === 'container' && rest[1] === 'run'))
  ) {
    const { positional } = positionals(rest.slice(sub === 'run' ? 1 : 2), DOCKER_VALUE_OPTS);
    const image = positional[0];
    if (image)
      packages.push({ launcher: `${name} run`, ecosystem: 'docker', spec: image, ...imagePinned(image) });
  } else if (name === 'deno' || name === 'bun') {
    // deno run -A npm:pkg@1.2.3 / jsr:@scope/pkg ; bun run npm:... is not a thing, but `deno` is.
    for (const a of rest) {
      const m = /^(npm|jsr):(.+)$/.exec(a);
      if (m) packages.push({ launcher: name, ecosystem: 'deno', spec: a, ...npmSpecPinned(m[2]!) });
      else if (/^https?:\/\//.test(a) && name === 'deno') {
        const pinned = /@v?\d+\.\d+\.\d+\//.test(a);
        packages.push({
          launcher: name,
          ecosystem: 'deno',
          spec: a,
          pinned,
          ...(pinned ? {} : { why: 'a module URL without a version' }),
        });
      }
    }
  }
  return { packages, local };
}
