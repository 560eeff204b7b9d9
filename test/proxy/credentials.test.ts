// Scoped credentials end to end over real stdio: `portcullis proxy` starts a careless server that
// echoes its key in every encoding; the key reaches the server (argument and environment), and no
// form of it reaches the client's wire, the proxy's stderr or the audit log.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretForms } from '../../src/guard/credentials.js';
import { ensureBuilt, node, RawProxy, runDist, servers, tempDir } from './helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

const ARG_SECRET = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
const FILE_SECRET = 'file-secret "quoted"/é+Zq83hd';
const ENV_SECRET = 'envtok-7Hq2LmN9pX4vB8wK';
const ALL = [ARG_SECRET, FILE_SECRET, ENV_SECRET];

function policyText(keyFile: string): string {
  return `version: 1
ruleOfTwo: off
provenance: off
servers:
  secret-echo:
    tools:
      call_api:
        credentials:
          - from: { env: PC_E2E_API_KEY }
            inject: { argument: api_key }
      failing_call:
        credentials:
          - from: { file: ${keyFile} }
            inject: { argument: api_key }
      "*":
        credentials:
          - from: { env: PC_E2E_SPAWN }
            inject: { env: SERVICE_TOKEN }
`;
}

function leaks(text: string): string[] {
  const found: string[] = [];
  for (const s of ALL) for (const f of secretForms(s)) if (text.includes(f)) found.push(`${s} as ${f}`);
  return found;
}

describe('scoped credentials through the stdio proxy', () => {
  const dir = tempDir();
  const keyFile = join(dir, 'api.key');
  writeFileSync(keyFile, `${FILE_SECRET}\n`, { mode: 0o600 });
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, policyText(keyFile));
  const audit = join(dir, 'audit.jsonl');
  const used = join(dir, 'used.jsonl');
  let proxy: RawProxy | undefined;
  afterAll(() => {
    proxy?.child.kill('SIGKILL');
  });

  it('injects the secrets, and the client, stderr and audit log never see any form of them', {
    timeout: 120_000,
  }, async () => {
    proxy = new RawProxy(['--policy', policy, '--audit', audit, '--name', 'secret-echo'], 'secret-echo.mjs', {
      PC_E2E_API_KEY: ARG_SECRET,
      PC_E2E_SPAWN: ENV_SECRET,
      USED_LOG: used,
    });
    let wire = '';
    proxy.child.stdout.on('data', (d: Buffer) => {
      wire += d.toString();
    });
    await proxy.initialize();

    proxy.send({ jsonrpc: '2.0', id: 'list', method: 'tools/list', params: {} });
    const list = (await proxy.response('list')).result as {
      tools: {
        name: string;
        description: string;
        inputSchema: { properties: object; required?: string[] };
      }[];
    };
    const callApi = list.tools.find((t) => t.name === 'call_api')!;
    // The model is not asked for the key the proxy supplies.
    expect(Object.keys(callApi.inputSchema.properties)).toEqual(['query']);
    expect(callApi.inputSchema.required).toEqual(['query']);
    expect(list.tools.find((t) => t.name === 'env_token')!.description).toContain('[REDACTED:credential]');

    proxy.send({
      jsonrpc: '2.0',
      id: 'call',
      method: 'tools/call',
      params: {
        name: 'call_api',
        arguments: { query: 'weather', api_key: 'guessed-by-the-model' },
        _meta: { progressToken: 'p1' },
      },
    });
    const call = (await proxy.response('call')).result as { content: { text: string }[]; isError?: boolean };
    expect(call.isError).not.toBe(true);
    expect(call.content[0]!.text).toContain('answer to weather');
    expect(call.content[0]!.text).toContain('[REDACTED:credential]');

    proxy.send({
      jsonrpc: '2.0',
      id: 'env',
      method: 'tools/call',
      params: { name: 'env_token', arguments: {} },
    });
    const envResult = (await proxy.response('env')).result as { content: { text: string }[] };
    expect(envResult.content[0]!.text).toContain('[REDACTED:credential]');

    proxy.send({
      jsonrpc: '2.0',
      id: 'fail',
      method: 'tools/call',
      params: { name: 'failing_call', arguments: {} },
    });
    const failed = await proxy.response('fail');
    const failure = JSON.stringify(failed);
    expect(failure).toContain('invalid key');
    expect(failure).toContain('[REDACTED:credential]');

    // The variable the secret was read from is not in the server's environment.
    proxy.send({
      jsonrpc: '2.0',
      id: 'leak',
      method: 'tools/call',
      params: { name: 'leaky_env', arguments: { name: 'PC_E2E_API_KEY' } },
    });
    const leak = (await proxy.response('leak')).result as { content: { text: string }[] };
    expect(leak.content[0]!.text).toBe('PC_E2E_API_KEY=(unset)');

    proxy.child.stdin.end();
    const exit = await proxy.exited;
    expect(exit.code).toBe(0);

    // The server really got the secrets (and never the model's guess).
    const usedKeys = readFileSync(used, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { how: string; key: string });
    expect(usedKeys).toEqual([
      { how: 'argument', key: ARG_SECRET },
      { how: 'env', key: ENV_SECRET },
      { how: 'argument', key: FILE_SECRET },
    ]);

    // The progress notification quoting the key went through the proxy, redacted (by the progress
    // screen's secret detector or by the credential broker, whichever saw it first).
    expect(wire).toMatch(/authenticating with \[REDACTED:[a-z0-9-]+\]/);
    expect(leaks(wire)).toEqual([]);
    expect(leaks(proxy.stderr)).toEqual([]);
    const log = readFileSync(audit, 'utf8');
    expect(leaks(log)).toEqual([]);
    const calls = log
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { tool?: string; args?: Record<string, unknown>; meta?: { phase?: string } },
      )
      .filter((r) => r.tool === 'call_api' && r.meta?.phase === 'call');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toEqual({ query: 'weather', api_key: '[masked]' });
    // Verifies: redaction happened before hashing, the chain is intact.
    const verify = spawnSync(node, [runDist, 'audit', 'verify', audit], { encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });

  it('refuses to start when the key file is readable by others, naming the file and its mode', {
    timeout: 60_000,
  }, () => {
    const open = join(dir, 'open.key');
    writeFileSync(open, FILE_SECRET);
    chmodSync(open, 0o644);
    const p = join(dir, 'open-policy.yaml');
    writeFileSync(p, policyText(open));
    const r = spawnSync(
      node,
      [
        runDist,
        'proxy',
        '--policy',
        p,
        '--name',
        'secret-echo',
        '--',
        node,
        join(servers, 'secret-echo.mjs'),
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, PC_E2E_API_KEY: ARG_SECRET, PC_E2E_SPAWN: ENV_SECRET },
        input: '',
        timeout: 30_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(open);
    expect(r.stderr).toContain('0644');
    expect(leaks(r.stderr)).toEqual([]);
  });

  it('refuses to start when a secret variable is missing', { timeout: 60_000 }, () => {
    const r = spawnSync(
      node,
      [
        runDist,
        'proxy',
        '--policy',
        policy,
        '--name',
        'secret-echo',
        '--',
        node,
        join(servers, 'secret-echo.mjs'),
      ],
      { encoding: 'utf8', env: { ...process.env, PC_E2E_SPAWN: ENV_SECRET }, input: '', timeout: 30_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PC_E2E_API_KEY');
  });
});
