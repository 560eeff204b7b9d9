// Process entry of an environment server: `node dist/redteam/envs/main.js --suite NAME --server KEY
// --state FILE`. The runner spawns it (with process.execPath) once per server per run.

import { suiteByName } from '../suites/index.js';
import type { EnvServer } from '../types.js';
import { ATTACKER_SERVER, attackerServer } from './attacker.js';
import { type ServedEnv, serveEnvOverStdio } from './serve.js';

function option(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) {
    process.stderr.write(`portcullis env server: missing --${name}\n`);
    process.exit(2);
  }
  return value;
}

const suiteName = option('suite');
const key = option('server');
const stateFile = option('state');
let env: ServedEnv;
if (key === ATTACKER_SERVER) env = attackerServer as unknown as ServedEnv;
else {
  const suite = await suiteByName(suiteName);
  const found = suite.servers.find((s: EnvServer) => s.name === key);
  if (!found) {
    process.stderr.write(`portcullis env server: suite ${suiteName} has no server ${key}\n`);
    process.exit(2);
  }
  env = found;
}
await serveEnvOverStdio(env, stateFile);
