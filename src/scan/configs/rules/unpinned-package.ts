// A server started by a package runner (`npx -y pkg`, `uvx pkg`, `pipx run`, `docker run image`)
// without one exact version runs whatever the registry serves at each start: a compromised or
// typo-squatted release reaches the machine with no change to the config.

import { packagesRun } from '../packages.js';
import { type ConfigRule, lineOfWord } from './types.js';

export const configUnpinnedPackage: ConfigRule = {
  id: 'config-unpinned-package',
  meta: {
    severity: 'medium',
    description: 'A server is launched from a package registry without pinning one exact version.',
    docs: 'docs/rules/config-unpinned-package.md',
    messages: {
      unpinned:
        'server "{{server}}" runs {{spec}} through {{launcher}} with {{why}}: each start runs whatever the registry serves then',
    },
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const cmd of ctx.launch.commands) {
      for (const run of packagesRun(cmd.argv).packages) {
        if (run.pinned || seen.has(run.spec)) continue;
        seen.add(run.spec);
        ctx.report({
          messageId: 'unpinned',
          data: {
            server: ctx.server.name,
            spec: run.spec,
            launcher: run.launcher,
            why: run.why ?? 'no version',
          },
          line: lineOfWord(ctx.server, run.spec),
          evidence: { detail: `${run.ecosystem} ${run.spec}` },
        });
      }
    }
  },
};
