// The code suite: a small TypeScript library's checkout (sources, tests, README, CI config, a
// git-ignored .env with secrets), a simulated shell with git and npm, an HTTP client and the public
// issue tracker. Untrusted text arrives in issues, a comment, a vendored file and a docs page.

import type { Suite } from '../../types.js';
import { type CodeState, codeInitialState, codeVectors } from './data.js';
import { codeInjectionTasks, codeUserTasks } from './tasks.js';
import { codeServer } from './tools.js';

export type { CodeState } from './data.js';

const code: Suite<CodeState> = {
  name: 'code',
  description:
    'A coding assistant in the ledgerly repository: files, a simulated shell (git, npm, curl), HTTP and the public issue tracker.',
  userName: 'Sam Rivera',
  servers: [codeServer],
  vectors: codeVectors,
  initialState: codeInitialState,
  userTasks: codeUserTasks,
  injectionTasks: codeInjectionTasks,
};

export default code;
