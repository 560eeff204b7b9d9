// Where the env server's compiled entry is: next to this file in dist/, or in dist/ when this
// module runs from src/ under a TypeScript runner (tests): Node runs only the compiled file.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortcullisError } from '../../core/errors.js';

export function envEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const entry = here.endsWith('.js')
    ? join(dirname(here), 'main.js')
    : join(dirname(here), '..', '..', '..', 'dist', 'redteam', 'envs', 'main.js');
  if (!existsSync(entry))
    throw new PortcullisError('INPUT_NOT_FOUND', `the env server is not built (${entry}); run npm run build`);
  return entry;
}
