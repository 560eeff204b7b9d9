// Which API is which effect, as data.
//
// A canonical API path is built by the flow engine from the module an import names and the member
// accesses and calls on it: `requests.post`, `requests.Session().post`, `fs.promises.readFile`,
// `child_process.exec`, `open().write` (a method on what `open()` returned). JS module specifiers
// have `node:` removed and `/` turned into `.` (`fs/promises` → `fs.promises`).
//
// A pattern is a dot-separated path whose segments may be alternatives (`get|post`) or `*` (any
// one segment). `lang` restricts a rule to one language family, because unbound builtins share
// names across languages (Python `exec` is dynamic code; a JS `exec` is not a global).

import type { Capability } from '../../core/types.js';

export type LangFamily = 'py' | 'js';

/** Where an argument is: positional index, Python keyword, or a property of an options object. */
export interface ArgSpec {
  pos?: number;
  kw?: string;
  /** With `pos`: a property of the object at that position (`fetch(url, { body })`). */
  prop?: string;
}

export interface ApiRule {
  match: string[];
  lang?: LangFamily;
  capability: Capability;
  /** Where the target (URL, host, path, command, code) comes from; first that yields a value wins. */
  target?: ArgSpec[];
  /** Fall back to what the receiver instance was constructed with (`smtplib.SMTP(host).sendmail`). */
  fromInstance?: boolean;
  /** File mode argument: the effect is a write when the mode has w, a, x or +. */
  mode?: { spec: ArgSpec[]; default: string };
  /** The source path of copies (`shutil.copy(src, dst)`): also a file read of it. */
  alsoReads?: ArgSpec[];
  /** No effect when this keyword or option is present and its canonical value contains `safe`. */
  unlessSafe?: ArgSpec[];
  /** The call returns an instance remembering the target (`requests.Session()`, `net.connect(…)`). */
  instance?: boolean;
  /** The call returns secret data (`keyring.get_password`). */
  returnsSecret?: boolean;
  /** `sock.connect(addr)`: the instance held in a variable remembers the target from now on. */
  setsInstanceTarget?: boolean;
  /** Dynamic code only when the target argument is (or is built as) a string. */
  codeMustBeString?: boolean;
  /** Only constructs a client (no I/O yet): no effect, but the instance remembers its target. */
  construct?: boolean;
}

const HTTP_VERBS = 'get|post|put|patch|delete|head|options|request|send|stream|fetch';
const PY_URL: ArgSpec[] = [{ pos: 0 }, { kw: 'url' }];
const JS_URL: ArgSpec[] = [
  { pos: 0 },
  { pos: 0, prop: 'url' },
  { pos: 0, prop: 'href' },
  { pos: 0, prop: 'hostname' },
  { pos: 0, prop: 'host' },
];

const JS_FS_MODULES = [
  'fs',
  'fs.promises',
  'fs-extra',
  'fs-extra.promises',
  'graceful-fs',
  'original-fs',
  'fs.promises.default',
  'fs.default',
];
const JS_FS_READ =
  'readFile|readFileSync|createReadStream|readdir|readdirSync|readJson|readJsonSync|readJSON|readJSONSync|opendir|opendirSync|readlink|readlinkSync|readv|read|readSync|open|openSync|watch|watchFile';
const JS_FS_WRITE =
  'writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|mkdir|mkdirSync|copyFile|copyFileSync|cp|cpSync|rename|renameSync|writeJson|writeJsonSync|writeJSON|outputFile|outputFileSync|outputJson|outputJsonSync|outputJSON|symlink|symlinkSync|link|linkSync|chmod|chmodSync|chown|chownSync|truncate|truncateSync|ensureFile|ensureFileSync|ensureDir|ensureDirSync|mkdirp|mkdirs|mkdirsSync|mkdtemp|mkdtempSync|move|moveSync|copy|copySync|write|writeSync|writev|utimes|utimesSync';
const JS_FS_DELETE =
  'unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|remove|removeSync|emptyDir|emptyDirSync|emptydir';

const fsPatterns = (methods: string) => JS_FS_MODULES.map((m) => `${m}.${methods}`);

export const API_RULES: readonly ApiRule[] = [
  // ---- Python: network (specific shapes before the generic verb rules: first match wins)
  {
    lang: 'py',
    match: [
      'requests.request',
      'requests.Session().request',
      'requests.session().request',
      'httpx.request',
      'httpx.stream',
    ],
    capability: 'network',
    target: [{ pos: 1 }, { kw: 'url' }],
  },
  {
    lang: 'py',
    match: [`requests.${HTTP_VERBS}`, `requests.api.${HTTP_VERBS}`],
    capability: 'network',
    target: PY_URL,
  },
  {
    lang: 'py',
    match: [`requests.Session|session().${HTTP_VERBS}`],
    capability: 'network',
    target: PY_URL,
    fromInstance: true,
  },
  { lang: 'py', match: [`httpx.${HTTP_VERBS}`], capability: 'network', target: PY_URL },
  {
    lang: 'py',
    match: [`httpx.Client|AsyncClient().${HTTP_VERBS}`, `aiohttp.ClientSession().${HTTP_VERBS}|ws_connect`],
    capability: 'network',
    target: PY_URL,
    fromInstance: true,
  },
  {
    lang: 'py',
    match: ['httpx.Client|AsyncClient', 'aiohttp.ClientSession', 'requests.Session|session'],
    capability: 'network',
    target: [{ kw: 'base_url' }],
    instance: true,
    construct: true,
  },
  { lang: 'py', match: ['aiohttp.request'], capability: 'network', target: [{ pos: 1 }, { kw: 'url' }] },
  {
    lang: 'py',
    match: ['urllib.request.urlopen|urlretrieve', 'urllib2.urlopen', 'urllib.urlopen|urlretrieve'],
    capability: 'network',
    target: PY_URL,
  },
  {
    lang: 'py',
    match: [
      'urllib3.request',
      'urllib3.PoolManager().request|urlopen|request_encode_body',
      'urllib3.HTTPConnectionPool().request|urlopen',
    ],
    capability: 'network',
    target: [{ pos: 1 }, { kw: 'url' }],
    fromInstance: true,
  },
  {
    lang: 'py',
    match: ['http.client.HTTPConnection|HTTPSConnection', 'httplib.HTTPConnection|HTTPSConnection'],
    capability: 'network',
    target: [{ pos: 0 }, { kw: 'host' }],
    instance: true,
    construct: true,
  },
  {
    lang: 'py',
    match: [
      'http.client.HTTPConnection|HTTPSConnection().request|putrequest|send',
      'httplib.HTTPConnection|HTTPSConnection().request|send',
    ],
    capability: 'network',
    target: [{ pos: 1 }, { kw: 'url' }],
    fromInstance: true,
  },
  {
    lang: 'py',
    match: ['socket.socket().connect|connect_ex|sendto'],
    capability: 'network',
    target: [{ pos: 0 }],
    fromInstance: true,
    setsInstanceTarget: true,
  },
  {
    lang: 'py',
    match: ['socket.socket().send|sendall|sendmsg|sendfile'],
    capability: 'network',
    fromInstance: true,
  },
  {
    lang: 'py',
    match: [
      'socket.create_connection',
      'socket.getaddrinfo|gethostbyname|gethostbyname_ex|gethostbyaddr',
      'asyncio.open_connection',
    ],
    capability: 'network',
    target: [{ pos: 0 }, { kw: 'host' }, { kw: 'address' }],
    instance: true,
  },
  {
    lang: 'py',
    match: ['dns.resolver.resolve|query|resolve_address', 'dns.resolver.Resolver().resolve|query'],
    capability: 'network',
    target: [{ pos: 0 }, { kw: 'qname' }],
  },
  {
    lang: 'py',
    match: [
      'smtplib.SMTP|SMTP_SSL|LMTP',
      'ftplib.FTP|FTP_TLS',
      'telnetlib.Telnet',
      'poplib.POP3|POP3_SSL',
      'imaplib.IMAP4|IMAP4_SSL',
      'xmlrpc.client.ServerProxy',
      'grpc.insecure_channel|secure_channel',
    ],
    capability: 'network',
    target: [{ pos: 0 }, { kw: 'host' }],
    instance: true,
  },
  {
    lang: 'py',
    match: [
      'smtplib.SMTP|SMTP_SSL|LMTP().sendmail|send_message|connect|login',
      'ftplib.FTP|FTP_TLS().storbinary|storlines|connect|login|sendcmd',
      'telnetlib.Telnet().write|open',
      'xmlrpc.client.ServerProxy().*',
      'socket.create_connection().send|sendall',
      'asyncio.open_connection().write',
    ],
    capability: 'network',
    target: [{ kw: 'host' }],
    fromInstance: true,
  },
  {
    lang: 'py',
    match: ['paramiko.SSHClient().connect', 'paramiko.Transport'],
    capability: 'network',
    target: [{ pos: 0 }, { kw: 'hostname' }],
    fromInstance: true,
    setsInstanceTarget: true,
    instance: true,
  },
  {
    lang: 'py',
    match: ['paramiko.SSHClient().exec_command|open_sftp|invoke_shell', 'paramiko.SFTPClient().put|get'],
    capability: 'network',
    fromInstance: true,
  },
  {
    lang: 'py',
    match: [
      'websockets.connect',
      'websockets.client.connect',
      'websocket.create_connection',
      'websocket.WebSocketApp',
      'websockets.sync.client.connect',
    ],
    capability: 'network',
    target: [{ pos: 0 }, { kw: 'uri' }, { kw: 'url' }],
    instance: true,
  },
  {
    lang: 'py',
    match: ['websockets.connect().send', 'websocket.create_connection().send', 'websocket.WebSocket().send'],
    capability: 'network',
    fromInstance: true,
  },
  {
    lang: 'py',
    match: [
      'boto3.client|resource',
      'boto3.Session().client|resource',
      'boto3.session.Session().client|resource',
    ],
    capability: 'network',
    target: [{ pos: 0 }, { kw: 'service_name' }],
    instance: true,
    construct: true,
  },
  {
    lang: 'py',
    match: [
      'boto3.client|resource().*',
      'boto3.Session().client|resource().*',
      'boto3.session.Session().client|resource().*',
    ],
    capability: 'network',
    fromInstance: true,
  },

  {
    lang: 'py',
    match: ['urllib.request.Request', 'urllib2.Request'],
    capability: 'network',
    target: [{ pos: 0 }, { kw: 'url' }, { pos: 1 }],
    instance: true,
    construct: true,
  },

  // ---- Python: files
  {
    lang: 'py',
    match: ['open', 'io.open', 'codecs.open', 'builtins.open', 'os.fdopen', 'aiofiles.open'],
    capability: 'file.read',
    target: [{ pos: 0 }, { kw: 'file' }],
    mode: { spec: [{ pos: 1 }, { kw: 'mode' }], default: 'r' },
    instance: true,
  },
  {
    lang: 'py',
    match: ['pathlib.Path|PurePath|PosixPath|WindowsPath().open'],
    capability: 'file.read',
    fromInstance: true,
    mode: { spec: [{ pos: 0 }, { kw: 'mode' }], default: 'r' },
    instance: true,
  },
  {
    lang: 'py',
    match: [
      'open().write|writelines|truncate',
      'io.open().write|writelines|truncate',
      'codecs.open().write|writelines',
      'aiofiles.open().write|writelines',
    ],
    capability: 'file.write',
    fromInstance: true,
  },
  {
    lang: 'py',
    match: ['pathlib.Path|PurePath|PosixPath|WindowsPath().read_text|read_bytes|iterdir|glob|rglob'],
    capability: 'file.read',
    fromInstance: true,
  },
  {
    lang: 'py',
    match: [
      'pathlib.Path|PurePath|PosixPath|WindowsPath().write_text|write_bytes|touch|mkdir|chmod|symlink_to|hardlink_to',
    ],
    capability: 'file.write',
    fromInstance: true,
  },
  {
    lang: 'py',
    match: ['pathlib.Path|PurePath|PosixPath|WindowsPath().rename|replace'],
    capability: 'file.write',
    target: [{ pos: 0 }, { kw: 'target' }],
    fromInstance: true,
  },
  {
    lang: 'py',
    match: ['pathlib.Path|PurePath|PosixPath|WindowsPath().unlink|rmdir'],
    capability: 'file.delete',
    fromInstance: true,
  },
  {
    lang: 'py',
    match: ['os.remove|unlink|rmdir|removedirs', 'shutil.rmtree', 'send2trash.send2trash'],
    capability: 'file.delete',
    target: [{ pos: 0 }, { kw: 'path' }],
  },
  {
    lang: 'py',
    match: ['os.rename|replace|renames|link|symlink', 'shutil.copy|copy2|copyfile|copytree|move|copyfileobj'],
    capability: 'file.write',
    target: [{ pos: 1 }, { kw: 'dst' }],
    alsoReads: [{ pos: 0 }, { kw: 'src' }],
  },
  {
    lang: 'py',
    match: [
      'os.makedirs|mkdir|chmod|chown|truncate|mkfifo|utime',
      'shutil.chown|make_archive|unpack_archive',
    ],
    capability: 'file.write',
    target: [{ pos: 0 }, { kw: 'path' }],
  },
  {
    lang: 'py',
    match: ['os.listdir|scandir|walk', 'glob.glob|iglob', 'os.path.getsize'],
    capability: 'file.read',
    target: [{ pos: 0 }, { kw: 'path' }],
  },

  // ---- Python: processes
  {
    lang: 'py',
    match: [
      'os.system|popen|popen2|popen3|popen4|startfile|posix_spawn|posix_spawnp',
      'os.execl|execle|execlp|execlpe|execv|execve|execvp|execvpe',
      'os.spawnl|spawnle|spawnlp|spawnlpe|spawnv|spawnve|spawnvp|spawnvpe',
      'subprocess.run|call|check_call|check_output|Popen|getoutput|getstatusoutput',
      'asyncio.create_subprocess_exec|create_subprocess_shell',
      'asyncio.subprocess.create_subprocess_exec|create_subprocess_shell',
      'pty.spawn',
      'commands.getoutput|getstatusoutput',
      'pexpect.spawn|run',
      'sh.Command',
      'plumbum.local',
    ],
    capability: 'process',
    target: [{ pos: 0 }, { kw: 'args' }, { kw: 'cmd' }, { kw: 'command' }],
  },

  // ---- Python: secrets, dynamic code
  {
    lang: 'py',
    match: ['keyring.get_password|get_credential'],
    capability: 'secret',
    target: [{ pos: 0 }, { kw: 'service_name' }],
    returnsSecret: true,
  },
  {
    lang: 'py',
    match: ['dotenv.dotenv_values'],
    capability: 'secret',
    target: [{ pos: 0 }, { kw: 'dotenv_path' }],
    returnsSecret: true,
  },
  {
    lang: 'py',
    match: ['dotenv.load_dotenv'],
    capability: 'env',
    target: [{ pos: 0 }, { kw: 'dotenv_path' }],
  },
  {
    lang: 'py',
    match: [
      'eval',
      'exec',
      'compile',
      'execfile',
      'builtins.eval|exec|compile',
      'runpy.run_path|run_module',
      'code.interact',
    ],
    capability: 'dynamic-code',
    target: [{ pos: 0 }, { kw: 'source' }],
  },
  {
    lang: 'py',
    match: [
      'pickle.loads|load|Unpickler',
      'cPickle.loads|load',
      '_pickle.loads|load',
      'marshal.loads|load',
      'dill.loads|load',
      'cloudpickle.loads|load',
      'jsonpickle.decode',
      'shelve.open',
      'yaml.unsafe_load|unsafe_load_all',
      'pandas.read_pickle',
      'joblib.load',
      'torch.load',
    ],
    capability: 'dynamic-code',
  },
  {
    lang: 'py',
    match: ['yaml.load|load_all'],
    capability: 'dynamic-code',
    unlessSafe: [{ pos: 1 }, { kw: 'Loader' }],
  },

  // ---- JS/TS: network
  {
    lang: 'js',
    match: [
      'fetch',
      'node-fetch',
      'node-fetch.default',
      'cross-fetch',
      'cross-fetch.default',
      'isomorphic-fetch',
      'undici.fetch|request|stream|pipeline',
      'make-fetch-happen',
      'navigator.sendBeacon',
    ],
    capability: 'network',
    target: JS_URL,
  },
  {
    lang: 'js',
    match: [
      'axios',
      'axios.default',
      'got',
      'got.default',
      'ky',
      'ky.default',
      'needle',
      'request',
      'superagent',
      'phin',
      'bent',
      'wretch',
      'ofetch',
      'ofetch.ofetch',
      'ofetch.$fetch',
    ],
    capability: 'network',
    target: JS_URL,
  },
  {
    lang: 'js',
    match: [
      `axios.${HTTP_VERBS}|postForm|putForm|patchForm`,
      `axios.default.${HTTP_VERBS}`,
      `got.${HTTP_VERBS}|paginate`,
      `ky.${HTTP_VERBS}`,
      `needle.${HTTP_VERBS}`,
      `request.${HTTP_VERBS}`,
      `superagent.${HTTP_VERBS}`,
      `ofetch.${HTTP_VERBS}`,
    ],
    capability: 'network',
    target: [...JS_URL, { pos: 1 }],
  },
  {
    lang: 'js',
    match: [
      'axios.create()',
      'axios.default.create()',
      'got.extend()',
      'ky.create|extend()',
      'undici.Client|Pool|Agent()',
    ],
    capability: 'network',
    target: JS_URL,
    fromInstance: true,
  },
  {
    lang: 'js',
    match: [
      `axios.create().${HTTP_VERBS}`,
      `axios.default.create().${HTTP_VERBS}`,
      'axios.create().postForm|putForm',
      `got.extend().${HTTP_VERBS}`,
      `ky.create|extend().${HTTP_VERBS}`,
      `undici.Client|Pool|Agent().${HTTP_VERBS}|dispatch`,
      `superagent.${HTTP_VERBS}().send|query|field|attach`,
    ],
    capability: 'network',
    target: JS_URL,
    fromInstance: true,
  },
  {
    lang: 'js',
    match: ['axios.create', 'axios.default.create', 'got.extend', 'ky.create|extend', 'undici.Client|Pool'],
    capability: 'network',
    target: [
      { pos: 0 },
      { pos: 0, prop: 'baseURL' },
      { pos: 0, prop: 'prefixUrl' },
      { pos: 0, prop: 'prefix' },
    ],
    instance: true,
    construct: true,
  },
  {
    lang: 'js',
    match: ['http|https|http2.request|get|connect'],
    capability: 'network',
    target: JS_URL,
    instance: true,
  },
  {
    lang: 'js',
    match: ['http|https.request|get().write|end', 'http2.connect().request'],
    capability: 'network',
    fromInstance: true,
  },
  {
    lang: 'js',
    match: ['net|tls.connect|createConnection', 'net.Socket().connect', 'tls.TLSSocket().connect'],
    capability: 'network',
    target: [{ pos: 0, prop: 'host' }, { pos: 1 }, { pos: 0 }],
    fromInstance: true,
    instance: true,
  },
  {
    lang: 'js',
    match: ['net|tls.connect|createConnection().write|end', 'net.Socket().write|end'],
    capability: 'network',
    fromInstance: true,
  },
  {
    lang: 'js',
    match: ['dgram.createSocket().send|connect'],
    capability: 'network',
    target: [{ pos: 2 }],
    fromInstance: true,
  },
  {
    lang: 'js',
    match: [
      'dns.lookup|resolve|resolve4|resolve6|resolveTxt|resolveAny|resolveMx|resolveCname|reverse|lookupService',
      'dns.promises.lookup|resolve|resolve4|resolve6|resolveTxt|resolveAny|resolveMx|resolveCname|reverse',
    ],
    capability: 'network',
    target: [{ pos: 0 }],
  },
  {
    lang: 'js',
    match: [
      'WebSocket',
      'ws',
      'ws.WebSocket',
      'ws.default',
      'isomorphic-ws',
      'EventSource',
      'eventsource',
      'socket.io-client',
      'socket.io-client.io|connect',
      'io',
      'reconnecting-websocket',
    ],
    capability: 'network',
    target: [{ pos: 0 }],
    instance: true,
  },
  {
    lang: 'js',
    match: [
      'WebSocket|ws|EventSource|io().send|emit',
      'ws.WebSocket|default().send',
      'socket.io-client().emit|send',
      'socket.io-client.io().emit|send',
      'reconnecting-websocket().send',
    ],
    capability: 'network',
    fromInstance: true,
  },
  {
    lang: 'js',
    match: ['XMLHttpRequest().open'],
    capability: 'network',
    target: [{ pos: 1 }],
    instance: true,
  },
  { lang: 'js', match: ['XMLHttpRequest().send'], capability: 'network', fromInstance: true },
  {
    lang: 'js',
    match: [
      'nodemailer.createTransport|createTransporter().sendMail|send',
      'nodemailer.default.createTransport().sendMail',
    ],
    capability: 'network',
    target: [{ pos: 0, prop: 'to' }],
    fromInstance: true,
  },
  {
    lang: 'js',
    match: ['nodemailer.createTransport', 'nodemailer.default.createTransport'],
    capability: 'network',
    target: [{ pos: 0, prop: 'host' }, { pos: 0, prop: 'service' }, { pos: 0 }],
    instance: true,
    construct: true,
  },
  {
    lang: 'js',
    match: ['ssh2.Client().connect|exec', 'node-ssh.NodeSSH().connect|execCommand'],
    capability: 'network',
    target: [{ pos: 0, prop: 'host' }],
    fromInstance: true,
    setsInstanceTarget: true,
  },

  {
    lang: 'js',
    match: ['Request', 'undici.Request', 'node-fetch.Request'],
    capability: 'network',
    target: JS_URL,
    instance: true,
    construct: true,
  },

  // ---- JS/TS: files
  { lang: 'js', match: fsPatterns(JS_FS_READ), capability: 'file.read', target: [{ pos: 0 }] },
  {
    lang: 'js',
    match: fsPatterns(
      'copyFile|copyFileSync|cp|cpSync|copy|copySync|rename|renameSync|move|moveSync|symlink|link',
    ),
    capability: 'file.write',
    target: [{ pos: 1 }],
    alsoReads: [{ pos: 0 }],
  },
  { lang: 'js', match: fsPatterns(JS_FS_WRITE), capability: 'file.write', target: [{ pos: 0 }] },
  { lang: 'js', match: fsPatterns(JS_FS_DELETE), capability: 'file.delete', target: [{ pos: 0 }] },
  {
    lang: 'js',
    match: fsPatterns('createWriteStream().write|end'),
    capability: 'file.write',
    fromInstance: true,
  },
  {
    lang: 'js',
    match: [
      'rimraf',
      'rimraf.rimraf|sync|rimrafSync|default',
      'del',
      'del.deleteAsync|deleteSync|sync',
      'trash',
    ],
    capability: 'file.delete',
    target: [{ pos: 0 }],
  },

  // ---- JS/TS: processes
  {
    lang: 'js',
    match: [
      'child_process.exec|execSync|execFile|execFileSync|spawn|spawnSync|fork',
      'child_process.default.exec|execSync|execFile|execFileSync|spawn|spawnSync|fork',
      'execa',
      'execa.execa|execaSync|execaCommand|execaCommandSync|execaNode|command|commandSync|sync|$|default',
      'shelljs.exec',
      'shelljs.default.exec',
      'zx.$',
      'cross-spawn',
      'cross-spawn.sync|spawn|default',
      'Bun.spawn|spawnSync|$',
      'node-pty.spawn',
    ],
    capability: 'process',
    target: [{ pos: 0 }, { pos: 0, prop: 'command' }],
  },

  // ---- JS/TS: dynamic code
  {
    lang: 'js',
    match: [
      'eval',
      'Function',
      'vm.runInNewContext|runInThisContext|runInContext|compileFunction|Script|SourceTextModule',
    ],
    capability: 'dynamic-code',
    target: [{ pos: 0 }],
  },
  // Timers compile their first argument only when it is a string.
  {
    lang: 'js',
    match: ['setTimeout', 'setInterval', 'setImmediate'],
    capability: 'dynamic-code',
    target: [{ pos: 0 }],
    codeMustBeString: true,
  },
  {
    lang: 'js',
    match: ['vm.Script().runInThisContext|runInNewContext|runInContext'],
    capability: 'dynamic-code',
    fromInstance: true,
  },
  {
    lang: 'js',
    match: ['keytar.getPassword|findPassword|findCredentials'],
    capability: 'secret',
    target: [{ pos: 0 }],
    returnsSecret: true,
  },
];

/**
 * Option and keyword names whose values configure a call rather than carry data out of it
 * (`env: process.env` to a child process is normal, not a secret sent anywhere).
 */
export const NON_DATA_OPTIONS: ReadonlySet<string> = new Set([
  'env',
  'cwd',
  'timeout',
  'shell',
  'encoding',
  'stdio',
  'check',
  'capture_output',
  'text',
  'stdout',
  'stderr',
  'stdin',
  'verify',
  'mode',
  'flag',
  'flags',
  'signal',
  'maxBuffer',
  'windowsHide',
  'detached',
  'uid',
  'gid',
  'killSignal',
  'allow_redirects',
  'follow_redirects',
  'stream',
  'newline',
  'errors',
  'buffering',
  'exist_ok',
  'parents',
  'recursive',
  'force',
  'method',
  'responseType',
  'validateStatus',
  'dispatcher',
  'agent',
]);

/** Calls whose value matters for folding or gating, not as effects. Keyed by canonical path. */
export type ValueApi =
  | 'import'
  | 'getattr'
  | 'identity'
  | 'home'
  | 'expanduser'
  | 'path-join'
  | 'path-new'
  | 'path-self'
  | 'no-data'
  | 'url-new'
  | 'path-joinpath'
  | 'env-get'
  | 'env-dump'
  | 'time'
  | 'random'
  | 'platform'
  | 'b64decode'
  | 'hexdecode'
  | 'rot13'
  | 'atob'
  | 'buffer-from'
  | 'from-char-code'
  | 'chr'
  | 'uri-decode'
  | 'json-stringify'
  | 'str-join'
  | 'zod'
  | 'schema-identity';

export const VALUE_APIS: readonly { lang?: LangFamily; match: string[]; kind: ValueApi }[] = [
  {
    lang: 'py',
    match: ['__import__', 'importlib.import_module', 'importlib.__import__', 'builtins.__import__'],
    kind: 'import',
  },
  { lang: 'js', match: ['require', 'import', 'module.require', 'createRequire()'], kind: 'import' },
  { lang: 'py', match: ['getattr', 'builtins.getattr', 'operator.attrgetter'], kind: 'getattr' },
  { lang: 'js', match: ['Reflect.get'], kind: 'getattr' },
  {
    match: [
      'util.promisify',
      'util.default.promisify',
      'functools.partial',
      'bluebird.promisify',
      'os.path.abspath|normpath|realpath',
      'path.resolve|normalize',
    ],
    kind: 'identity',
  },
  { lang: 'py', match: ['pathlib.Path.home', 'pathlib.PurePath.home'], kind: 'home' },
  { lang: 'js', match: ['os.homedir', 'os.default.homedir', 'os.userInfo().homedir'], kind: 'home' },
  { lang: 'py', match: ['os.path.expanduser', 'os.path.expandvars'], kind: 'expanduser' },
  { lang: 'py', match: ['os.path.join', 'posixpath.join', 'ntpath.join'], kind: 'path-join' },
  {
    lang: 'js',
    match: [
      'path.join|resolve',
      'path.posix.join|resolve',
      'path.win32.join|resolve',
      'path.default.join|resolve',
      'upath.join',
    ],
    kind: 'path-join',
  },
  { lang: 'py', match: ['pathlib.Path|PurePath|PosixPath|WindowsPath'], kind: 'path-new' },
  { lang: 'js', match: ['URL', 'url.URL', 'whatwg-url.URL'], kind: 'url-new' },
  // Results that say something about a value without carrying it (a length, a type test).
  {
    lang: 'py',
    match: [
      'len',
      'bool',
      'isinstance',
      'issubclass',
      'type',
      'id',
      'callable',
      'hasattr',
      'os.path.exists|isfile|isdir|getsize',
    ],
    kind: 'no-data',
  },
  {
    lang: 'js',
    match: [
      'Array.isArray',
      'Number.isInteger|isFinite|isNaN|isSafeInteger',
      'isNaN',
      'isFinite',
      'Boolean',
      'fs.existsSync',
    ],
    kind: 'no-data',
  },
  { lang: 'py', match: ['urllib.parse.urljoin', 'urlparse.urljoin', 'posixpath.join'], kind: 'url-new' },
  {
    lang: 'py',
    match: ['pathlib.Path|PurePath|PosixPath|WindowsPath().expanduser|resolve|absolute|expandvars|as_posix'],
    kind: 'path-self',
  },
  { lang: 'py', match: ['pathlib.Path|PurePath|PosixPath|WindowsPath().joinpath'], kind: 'path-joinpath' },
  {
    lang: 'py',
    match: ['os.getenv', 'os.environ.get', 'os.environ.setdefault', 'os.environ.pop', 'os.getenvb'],
    kind: 'env-get',
  },
  {
    lang: 'py',
    match: ['os.environ.copy|items|keys|values', 'dict', 'json.dumps', 'str', 'repr'],
    kind: 'env-dump',
  },
  {
    lang: 'js',
    match: ['Object.entries|keys|values|assign|fromEntries', 'JSON.stringify', 'structuredClone'],
    kind: 'env-dump',
  },
  {
    match: [
      'datetime.datetime.now|today|utcnow',
      'datetime.date.today',
      'datetime.now|today|utcnow',
      'date.today',
      'time.time|localtime|gmtime|monotonic|time_ns|strftime|ctime',
      'Date',
      'Date.now',
      'performance.now',
      'process.hrtime',
      'process.uptime',
    ],
    kind: 'time',
  },
  {
    match: [
      'random.random|randint|choice|randrange|uniform|getrandbits',
      'Math.random',
      'crypto.randomInt',
      'secrets.randbelow|choice',
      'uuid.uuid4',
    ],
    kind: 'random',
  },
  {
    match: [
      'platform.system|node|platform|machine|release',
      'socket.gethostname',
      'getpass.getuser',
      'os.getuid|getlogin|uname|cpu_count',
      'os.hostname|platform|userInfo|type|arch|cpus|networkInterfaces',
      'os.default.hostname|platform|userInfo',
    ],
    kind: 'platform',
  },
  {
    lang: 'py',
    match: [
      'base64.b64decode|standard_b64decode|urlsafe_b64decode|decodebytes|b32decode',
      'binascii.a2b_base64',
    ],
    kind: 'b64decode',
  },
  {
    lang: 'py',
    match: ['bytes.fromhex', 'bytearray.fromhex', 'binascii.unhexlify|a2b_hex'],
    kind: 'hexdecode',
  },
  { lang: 'py', match: ['codecs.decode', 'codecs.encode'], kind: 'rot13' },
  { lang: 'js', match: ['atob'], kind: 'atob' },
  { lang: 'js', match: ['Buffer.from', 'buffer.Buffer.from'], kind: 'buffer-from' },
  { lang: 'js', match: ['String.fromCharCode', 'String.fromCodePoint'], kind: 'from-char-code' },
  { lang: 'py', match: ['chr'], kind: 'chr' },
  {
    lang: 'js',
    match: ['decodeURIComponent', 'decodeURI', 'unescape', 'querystring.unescape'],
    kind: 'uri-decode',
  },
  {
    lang: 'js',
    match: [
      'zod',
      'zod.z',
      'zod.v4',
      'zod.v4.z',
      'zod.v3',
      'zod.v3.z',
      'zod.default',
      'zod.v4-mini',
      'zod.mini',
    ],
    kind: 'zod',
  },
  {
    lang: 'js',
    match: [
      'zod-to-json-schema.zodToJsonSchema|default',
      'zod.toJSONSchema',
      'zod.z.toJSONSchema',
      '@valibot.to-json-schema.toJsonSchema',
    ],
    kind: 'schema-identity',
  },
];

/** Reads of one environment variable through an environment mapping. */
export const ENV_MAPPINGS: ReadonlySet<string> = new Set([
  'os.environ',
  'process.env',
  'os.environb',
  'Deno.env',
  'Bun.env',
  'import.meta.env',
]);
