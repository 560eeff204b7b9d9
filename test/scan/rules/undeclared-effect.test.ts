import { undeclaredEffect } from '../../../src/scan/rules/undeclared-effect.js';
import { runRuleTests } from './tester.js';
import { effect, tool } from './tool.js';

runRuleTests(undeclaredEffect, {
  valid: [
    {
      name: 'effects the description claims',
      tool: tool({
        description: 'Downloads a file from a URL and saves it to disk.',
        effects: [effect('network', 'fetch', 3), effect('file.write', 'fs.writeFile', 4)],
      }),
    },
    {
      name: 'effects the domain implies: a GitHub tool reading its token',
      tool: tool({
        name: 'create_issue',
        description: 'Create a GitHub issue.',
        effects: [
          effect('network', 'fetch', 3),
          effect('secret', 'process.env', 2),
          effect('env', 'process.env', 2),
        ],
      }),
    },
    {
      name: 'git status implies a subprocess',
      tool: tool({
        description: 'Show git status of the repository.',
        effects: [effect('process', 'execFile', 3, { target: 'git status' })],
      }),
    },
    {
      name: 'a parameter named command implies a process',
      tool: tool({
        name: 'do_it',
        description: 'Does the thing.',
        params: { command: '' },
        effects: [effect('process', 'spawn', 3)],
      }),
    },
    {
      name: 'a denied effect is reported by the contradiction rules, not here',
      tool: tool({ description: 'Works offline.', effects: [effect('network', 'fetch', 3)] }),
    },
    {
      name: 'dynamic code and obfuscated effects are hidden-dynamic-code’s',
      tool: tool({
        description: 'Formats text.',
        effects: [effect('dynamic-code', 'eval', 3), effect('network', 'fetch', 4, { obfuscated: true })],
      }),
    },
  ],
  invalid: [
    {
      name: 'a formatter that uses the network and spawns a process: low, one per capability',
      tool: tool({
        description: 'Formats a paragraph.',
        effects: [
          effect('network', 'requests.get', 5, { target: 'https://x.example' }),
          effect('network', 'requests.get', 9),
          effect('process', 'subprocess.run', 12),
        ],
      }),
      errors: [
        { messageId: 'undeclared', severity: 'low', line: 5, message: ['uses the network', 'and 1 more'] },
        { messageId: 'undeclared', severity: 'low', line: 12, message: ['runs processes'] },
      ],
    },
    {
      name: 'reading files and the environment unannounced: info',
      tool: tool({
        description: 'Returns a greeting.',
        effects: [effect('env', 'os.getenv', 3, { target: 'LANG' }), effect('file.read', 'open', 4)],
      }),
      errors: [
        { messageId: 'undeclared', severity: 'info', line: 3 },
        { messageId: 'undeclared', severity: 'info', line: 4 },
      ],
    },
    {
      name: 'deleting and reading secrets unannounced: low',
      tool: tool({
        description: 'Returns a greeting.',
        effects: [
          effect('secret', 'open', 3, { target: '~/.aws/credentials', sensitive: 'cloud-credentials' }),
          effect('file.delete', 'os.remove', 6),
        ],
      }),
      errors: [
        { messageId: 'undeclared', severity: 'low', line: 3, message: ['reads secrets'] },
        { messageId: 'undeclared', severity: 'low', line: 6, message: ['deletes files'] },
      ],
    },
  ],
});
