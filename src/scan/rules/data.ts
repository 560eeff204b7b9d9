// Tables the rules consult: which commands mutate, which reach the network, which paths are
// shared, which parameter names name a destination. Data only; the logic is in support.ts.

import type { ClaimCapability } from '../catalog/claims.js';

/** Commands that change state whatever their arguments. */
export const MUTATING_COMMANDS: ReadonlySet<string> = new Set([
  'rm',
  'rmdir',
  'unlink',
  'mv',
  'cp',
  'dd',
  'mkfs',
  'shred',
  'truncate',
  'tee',
  'touch',
  'mkdir',
  'ln',
  'chmod',
  'chown',
  'chgrp',
  'chattr',
  'kill',
  'pkill',
  'killall',
  'shutdown',
  'reboot',
  'halt',
  'poweroff',
  'crontab',
  'useradd',
  'userdel',
  'usermod',
  'passwd',
  'mount',
  'umount',
  'rsync',
  'scp',
  'install',
]);

/** Podman mirrors Docker's command line: the state-changing subcommands both have. */
const CONTAINER_SUBCOMMANDS = [
  'build',
  'commit',
  'cp',
  'exec',
  'kill',
  'pull',
  'push',
  'rm',
  'rmi',
  'run',
  'stop',
  'tag',
];

/** Tools whose effect depends on a subcommand: the subcommands that change state. */
export const MUTATING_SUBCOMMANDS: Readonly<Record<string, ReadonlySet<string>>> = {
  git: new Set([
    'add',
    'am',
    'apply',
    'branch',
    'checkout',
    'cherry-pick',
    'clean',
    'clone',
    'commit',
    'init',
    'merge',
    'mv',
    'pull',
    'push',
    'rebase',
    'reset',
    'restore',
    'revert',
    'rm',
    'stash',
    'switch',
    'tag',
  ]),
  kubectl: new Set([
    'annotate',
    'apply',
    'autoscale',
    'cordon',
    'cp',
    'create',
    'delete',
    'drain',
    'edit',
    'exec',
    'expose',
    'label',
    'patch',
    'replace',
    'rollout',
    'run',
    'scale',
    'set',
    'taint',
    'uncordon',
  ]),
  docker: new Set([...CONTAINER_SUBCOMMANDS, 'prune']),
  podman: new Set(CONTAINER_SUBCOMMANDS),
  helm: new Set(['install', 'upgrade', 'uninstall', 'delete', 'rollback', 'push']),
  npm: new Set(['install', 'i', 'uninstall', 'publish', 'update', 'link', 'ci']),
  pnpm: new Set(['install', 'add', 'remove', 'publish', 'update']),
  yarn: new Set(['add', 'remove', 'install', 'publish', 'upgrade']),
  pip: new Set(['install', 'uninstall', 'download']),
  pip3: new Set(['install', 'uninstall', 'download']),
  terraform: new Set(['apply', 'destroy', 'import', 'taint']),
  systemctl: new Set(['start', 'stop', 'restart', 'enable', 'disable', 'kill', 'mask']),
  sed: new Set(['-i']),
};

/** Commands that move data over the network: process arguments reaching them are egress. */
export const NETWORK_COMMANDS: ReadonlySet<string> = new Set([
  'curl',
  'wget',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'telnet',
  'ssh',
  'scp',
  'sftp',
  'rsync',
  'ftp',
  'tftp',
  'nslookup',
  'dig',
  'invoke-webrequest',
  'invoke-restmethod',
  'iwr',
  'irm',
]);

/** SQL statements that change a database. */
export const MUTATING_SQL =
  /^\s*(?:insert|update|delete|drop|alter|create|truncate|grant|revoke|replace|merge|upsert)\b/i;

/** The last segment of an API name that marks a network write (`requests.post`, `axios.delete`). */
export const NETWORK_WRITE_METHODS: ReadonlySet<string> = new Set([
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'sendmail',
  'send_message',
  'sendmessage',
  'send_mail',
  'upload',
  'upload_file',
  'uploadfile',
]);

/** File writes here reach other users or a web server: a secret written there is exposed. */
export const SHARED_PATH =
  /(?:^|\/)(?:var\/www|srv\/www|htdocs|public_html|public|static|wwwroot|shared|share\/public)(?:\/|$)|^\/tmp\//i;

/** Scratch locations: writes there are not the tool mutating anything a user owns. */
export const SCRATCH_PATH =
  /(?:^|[/\\])(?:tmp|temp|\.?cache)(?:[/\\]|$)|tmpdir|mkdtemp|tempfile|gettempdir|NamedTemporaryFile/i;

/** Hosts that never leave the machine. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set([
  'localhost',
  '127.0.0.1',
  '::1',
  '[::1]',
  '0.0.0.0',
]);

/** Words in a parameter's name that say what it is: a destination, a path, a command, code. */
export const PARAM_NAME_IMPLIES: Readonly<Record<string, readonly ClaimCapability[]>> = {
  url: ['network'],
  urls: ['network'],
  uri: ['network'],
  endpoint: ['network'],
  webhook: ['network'],
  host: ['network'],
  hostname: ['network'],
  domain: ['network'],
  link: ['network'],
  email: ['network'],
  recipient: ['network'],
  channel: ['network'],
  path: ['file.read'],
  paths: ['file.read'],
  file: ['file.read'],
  filename: ['file.read'],
  filepath: ['file.read'],
  dir: ['file.read'],
  directory: ['file.read'],
  folder: ['file.read'],
  command: ['process'],
  cmd: ['process'],
  script: ['process', 'dynamic-code'],
  code: ['dynamic-code'],
  expression: ['dynamic-code'],
  expr: ['dynamic-code'],
};

/** Parts of an environment variable's name that say nothing about which service it is for. */
export const GENERIC_SECRET_WORDS: ReadonlySet<string> = new Set([
  'api',
  'key',
  'keys',
  'token',
  'tokens',
  'secret',
  'secrets',
  'password',
  'passwd',
  'pass',
  'pat',
  'access',
  'personal',
  'auth',
  'client',
  'id',
  'private',
  'bearer',
  'oauth',
  'credentials',
  'credential',
  'creds',
  'url',
  'base',
  'app',
  'user',
  'the',
]);

/** Payload words that make a constant passed to eval/exec look like a hidden program. */
export const SUSPICIOUS_PAYLOAD =
  /\b(?:import|__import__|require|subprocess|child_process|socket|urllib|requests|http|fetch|os\.|exec|eval|base64|marshal|pickle|system|popen|spawn|curl|wget)\b/i;

/** APIs that deserialise into live objects (code execution on hostile input). */
export const DESERIALIZERS =
  /(?:^|\.)(?:pickle|cpickle|_pickle|marshal|dill|shelve|jsonpickle|joblib|cloudpickle)\.|read_pickle$|(?:^|\.)yaml\.(?:load|unsafe_load|full_load)$|torch\.load$|node-serialize|serialize\.unserialize/i;
