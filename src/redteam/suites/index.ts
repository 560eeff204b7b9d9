// The built-in suites, loaded lazily by name (an env server process loads only its own suite).
import { PortcullisError } from '../../core/errors.js';
import type { Suite } from '../types.js';

type Loader = () => Promise<{ default: Suite }>;

export const SUITES: Readonly<Record<string, Loader>> = {
  workspace: () => import('./workspace/index.js') as unknown as Promise<{ default: Suite }>,
  banking: () => import('./banking/index.js') as unknown as Promise<{ default: Suite }>,
  // R2's suites (messaging, travel, code) are registered here, one line each:
  messaging: () => import('./messaging/index.js') as unknown as Promise<{ default: Suite }>,
  travel: () => import('./travel/index.js') as unknown as Promise<{ default: Suite }>,
  code: () => import('./code/index.js') as unknown as Promise<{ default: Suite }>,
};

export const SUITE_NAMES: readonly string[] = Object.keys(SUITES);

export async function suiteByName(name: string): Promise<Suite> {
  const load = SUITES[name];
  if (!load)
    throw new PortcullisError('USAGE', `unknown suite ${name} (known: ${SUITE_NAMES.join(', ')})`, {
      field: 'suite',
    });
  return (await load()).default;
}
