import { describe, expect, it } from 'vitest';
import { isSecretEnvName, sensitiveKindOfPath } from '../../../src/scan/catalog/sensitive.js';
import { apiRuleFor, valueApiFor } from '../../../src/scan/flow/apimatch.js';

describe('sensitive paths', () => {
  it.each([
    ['~/.ssh/id_rsa', 'ssh'],
    ['~/.ssh/authorized_keys', 'ssh'],
    ['/home/alice/.ssh/known_hosts', 'ssh'],
    ['C:\\Users\\bob\\.ssh\\id_ed25519', 'ssh'],
    ['$HOME/.aws/credentials', 'cloud-credentials'],
    ['~/.config/gcloud/application_default_credentials.json', 'cloud-credentials'],
    ['~/.azure/accessTokens.json', 'cloud-credentials'],
    ['~/.kube/config', 'cloud-credentials'],
    ['~/.docker/config.json', 'cloud-credentials'],
    ['~/.npmrc', 'cloud-credentials'],
    ['~/.pypirc', 'cloud-credentials'],
    ['.env', 'dotenv'],
    ['config/.env.production', 'dotenv'],
    ['~/.netrc', 'netrc'],
    ['~/.git-credentials', 'git-credentials'],
    ['~/Library/Application Support/Google/Chrome/Default/Login Data', 'browser-profile'],
    ['~/.mozilla/firefox/abc.default/cookies.sqlite', 'browser-profile'],
    ['~/.config/google-chrome/Local State', 'browser-profile'],
    ['~/.bitcoin/wallet.dat', 'wallet'],
    ['~/.ethereum/keystore/UTC--x', 'wallet'],
    ['~/.config/solana/id.json', 'wallet'],
    [
      '~/Library/Application Support/Google/Chrome/Default/Local Extension Settings/nkbihfbeogaeaoehlefnkodbefgpgknn',
      'wallet',
    ],
    ['~/Library/Keychains/login.keychain-db', 'keychain'],
    ['~/Library/Application Support/Claude/claude_desktop_config.json', 'agent-config'],
    ['~/.cursor/mcp.json', 'agent-config'],
    ['project/.vscode/mcp.json', 'agent-config'],
    ['~/.codeium/windsurf/mcp_config.json', 'agent-config'],
    ['~/.claude.json', 'agent-config'],
    ['/etc/passwd', 'system'],
    ['/etc/shadow', 'system'],
    ['~/.bash_history', 'shell-history'],
    ['~/.zsh_history', 'shell-history'],
    ['~/.ssh/*', 'ssh'],
  ])('%s is %s', (path, kind) => {
    expect(sensitiveKindOfPath(path)).toBe(kind);
  });

  it.each([
    'README.md',
    '/tmp/out.txt',
    '~/notes/x.md',
    '.env.example',
    'src/environment.ts',
    '/etc/hosts',
    '*',
    'ssh-config.md',
  ])('%s is not sensitive', (path) => {
    expect(sensitiveKindOfPath(path)).toBeUndefined();
  });
});

describe('secret environment variable names', () => {
  it.each([
    'API_KEY',
    'OPENAI_API_KEY',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ACCESS_KEY_ID',
    'GITHUB_TOKEN',
    'DB_PASSWORD',
    'MYSQL_PASSWD',
    'CLIENT_SECRET',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'SESSION_COOKIE',
    'PRIVATE_KEY',
    'AUTH_HEADER',
    'slackBotToken',
    'DATABASE_URL',
    'GHTOKEN_X',
  ])('%s is a secret', (name) => {
    expect(isSecretEnvName(name)).toBe(true);
  });

  it.each([
    'KEYBOARD_LAYOUT',
    'MONKEY',
    'PATH',
    'HOME',
    'LANG',
    'NODE_ENV',
    'PORT',
    'AUTHOR_NAME',
    'DEBUG',
    'TOKENIZERS_PARALLELISM',
    'GMAIL_CREDENTIALS_PATH',
    'TOKEN_URL',
    'SESSION_TIMEOUT',
  ])('%s is not a secret', (name) => {
    expect(isSecretEnvName(name)).toBe(false);
  });
});

describe('API catalogue matching', () => {
  it('matches verbs, instances and alternatives, per language', () => {
    expect(apiRuleFor('requests.post', 'py')?.capability).toBe('network');
    expect(apiRuleFor('requests.Session().get', 'py')?.capability).toBe('network');
    expect(apiRuleFor('requests.session().put', 'py')?.capability).toBe('network');
    expect(apiRuleFor('httpx.AsyncClient().post', 'py')?.capability).toBe('network');
    expect(apiRuleFor('boto3.client().put_object', 'py')?.capability).toBe('network');
    expect(apiRuleFor('subprocess.Popen', 'py')?.capability).toBe('process');
    expect(apiRuleFor('shutil.rmtree', 'py')?.capability).toBe('file.delete');
    expect(apiRuleFor('pickle.loads', 'py')?.capability).toBe('dynamic-code');
    expect(apiRuleFor('fs.promises.writeFile', 'js')?.capability).toBe('file.write');
    expect(apiRuleFor('fs-extra.remove', 'js')?.capability).toBe('file.delete');
    expect(apiRuleFor('child_process.execFileSync', 'js')?.capability).toBe('process');
    expect(apiRuleFor('execa.execa', 'js')?.capability).toBe('process');
    expect(apiRuleFor('got.post', 'js')?.capability).toBe('network');
    expect(apiRuleFor('undici.request', 'js')?.capability).toBe('network');
    expect(apiRuleFor('dns.promises.resolveTxt', 'js')?.capability).toBe('network');
    expect(apiRuleFor('nodemailer.createTransport().sendMail', 'js')?.capability).toBe('network');
    expect(apiRuleFor('vm.runInThisContext', 'js')?.capability).toBe('dynamic-code');
  });

  it('is language-aware and does not over-match', () => {
    expect(apiRuleFor('exec', 'py')?.capability).toBe('dynamic-code');
    expect(apiRuleFor('exec', 'js')).toBeUndefined();
    expect(apiRuleFor('fetch', 'py')).toBeUndefined();
    expect(apiRuleFor('requests.codes', 'py')).toBeUndefined();
    expect(apiRuleFor('fs.existsSync', 'js')).toBeUndefined();
    expect(apiRuleFor('path.join', 'js')).toBeUndefined();
    expect(apiRuleFor('os.path.exists', 'py')).toBeUndefined();
  });

  it('knows value-level APIs: imports, decoders, path building, clocks', () => {
    expect(valueApiFor('importlib.import_module', 'py')).toBe('import');
    expect(valueApiFor('require', 'js')).toBe('import');
    expect(valueApiFor('base64.b64decode', 'py')).toBe('b64decode');
    expect(valueApiFor('Buffer.from', 'js')).toBe('buffer-from');
    expect(valueApiFor('os.path.join', 'py')).toBe('path-join');
    expect(valueApiFor('os.homedir', 'js')).toBe('home');
    expect(valueApiFor('Date.now', 'js')).toBe('time');
    expect(valueApiFor('datetime.datetime.now', 'py')).toBe('time');
  });
});
