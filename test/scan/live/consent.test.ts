import { describe, expect, it } from 'vitest';
import { PortcullisError } from '../../../src/core/errors.js';
import { type ConsentIO, confirmLaunch, consentPrompt } from '../../../src/scan/live/consent.js';
import type { InspectTarget } from '../../../src/scan/live/target.js';

const stdio: InspectTarget = { kind: 'stdio', name: 'gh', command: 'npx', args: ['-y', 'server-github'] };
const http: InspectTarget = { kind: 'http', url: 'https://mcp.example.com/mcp' };

function io(interactive: boolean, answer = ''): ConsentIO & { asked: string[] } {
  const asked: string[] = [];
  return {
    interactive,
    asked,
    async ask(prompt) {
      asked.push(prompt);
      return answer;
    },
  };
}

describe('confirmLaunch', () => {
  it('URL targets start nothing locally and need no consent', async () => {
    const t = io(false);
    expect(await confirmLaunch([http], { yes: false, io: t })).toBe('not-needed');
    expect(t.asked).toEqual([]);
  });

  it('--yes approves without asking', async () => {
    const t = io(true);
    expect(await confirmLaunch([stdio, http], { yes: true, io: t })).toBe('approved-by-flag');
    expect(t.asked).toEqual([]);
  });

  it('no terminal and no --yes refuses with a usage error that names --yes', async () => {
    const err = await confirmLaunch([stdio], { yes: false, io: io(false) }).catch((e) => e);
    expect(err).toBeInstanceOf(PortcullisError);
    expect(err.code).toBe('USAGE');
    expect(err.message).toMatch(/--yes/);
  });

  it('on a terminal, only y or yes approves; anything else, including Enter, declines', async () => {
    for (const [answer, outcome] of [
      ['y', 'approved'],
      [' YES ', 'approved'],
      ['', 'declined'],
      ['n', 'declined'],
      ['sure', 'declined'],
    ] as const) {
      expect(await confirmLaunch([stdio], { yes: false, io: io(true, answer) })).toBe(outcome);
    }
  });

  it('the prompt shows the exact command line and says it runs unsandboxed', () => {
    const text = consentPrompt([
      stdio,
      { kind: 'stdio', command: 'node', args: ['my server.js'], cwd: '/srv' },
      http,
    ]);
    expect(text).toContain('gh: run npx -y server-github');
    expect(text).toContain("run node 'my server.js' (in /srv)");
    expect(text).toMatch(/unsandboxed/);
    expect(text).not.toContain('mcp.example.com');
    expect(text.trimEnd().endsWith('[y/N]')).toBe(true);
  });

  it('masks secrets in the command lines it shows', () => {
    const token = `ghp_${'Zq4Lm8Rt2W'.repeat(3)}x6Yb1N`;
    const text = consentPrompt([
      { kind: 'stdio', command: 'npx', args: ['-y', 'srv@1.0.0', '--token', token] },
    ]);
    expect(text).not.toContain(token);
    expect(text).toContain('srv@1.0.0');
  });
});
