import { describe, expect, it } from 'vitest';
import { fn, handlerId, paramDocs, parseFixture, registration, shape, str } from './helpers.js';

describe('low-level MCP servers', () => {
  it('reads Tool(...) listings and synthesises one handler per if/elif dispatch branch', async () => {
    const facts = await parseFixture('lowlevel_server.py');
    expect(facts.registrations.map((r) => str(r.name))).toEqual(['git_status', 'git_log', 'echo']);
    expect(facts.registrations.every((r) => r.framework === 'mcp-lowlevel')).toBe(true);

    const status = registration(facts, 'git_status');
    expect(status).toMatchObject({ line: 15, column: 9 });
    expect(str(status.description)).toBe('Show the working tree status. Read-only.');
    expect(status.schema?.k).toBe('object');
    expect(status.params).toEqual([
      {
        name: 'repo_path',
        required: true,
        type: 'string',
        description: { k: 'str', value: 'Path to the repository' },
      },
    ]);
    expect(handlerId(status)).toBe('handle_call_tool#git_status');
    const log = registration(facts, 'git_log');
    expect(paramDocs(log)).toEqual({ repo_path: 'Path to the repository', max_count: 'How many commits' });
    expect(log.params.find((p) => p.name === 'max_count')?.required).toBe(false);
    expect(handlerId(log)).toBe('handle_call_tool#git_log');
    // No branch for echo: the dispatcher itself is the handler.
    expect(handlerId(registration(facts, 'echo'))).toBe('handle_call_tool');
    expect(facts.unresolved).toEqual([]);
  });

  it('gives each synthesised branch the dispatcher params, the shared prelude and only its own branch', async () => {
    const facts = await parseFixture('lowlevel_server.py');
    const branch = fn(facts, 'handle_call_tool#git_status');
    expect(branch.params.map((p) => p.name)).toEqual(['name', 'arguments']);
    expect(branch.line).toBe(46);
    const targets = branch.body.map((s) => (s.k === 'assign' && s.target.k === 'name' ? s.target.name : s.k));
    expect(targets).toEqual(['args', 'repo', 'out']);
    const text = JSON.stringify(shape(branch.body));
    expect(text).toContain('"status"');
    expect(text).not.toContain('"log"');
  });

  it('handles match/case dispatch and a module-level TOOLS list', async () => {
    const facts = await parseFixture('lowlevel_match.py');
    expect(facts.registrations.map((r) => [str(r.name), handlerId(r)])).toEqual([
      ['fetch', 'call_tool#fetch'],
      ['ping', 'call_tool#ping'],
    ]);
    expect(str(registration(facts, 'fetch').description)).toBe('Fetch a URL and return its text.');
    const fetch = fn(facts, 'call_tool#fetch');
    expect(JSON.stringify(shape(fetch.body))).toContain('"requests"');
    expect(JSON.stringify(shape(fn(facts, 'call_tool#ping').body))).not.toContain('"requests"');
  });

  it('handles a dict of handlers', async () => {
    const facts = await parseFixture('lowlevel_dict.py');
    expect(facts.registrations.map((r) => [str(r.name), handlerId(r)])).toEqual([
      ['read_env', 'read_env'],
      ['list_env', 'list_env'],
    ]);
    expect(facts.unresolved).toEqual([]);
  });

  it('lists tools built from data and an opaque call_tool as not understood', async () => {
    const facts = await parseFixture('lowlevel_dynamic.py');
    expect(facts.registrations).toEqual([]);
    expect(facts.unresolved.map((u) => [u.line, u.reason])).toEqual([
      [11, 'Tool(...) built in a loop or comprehension from data'],
      [16, 'Tool(...) built from **kwargs: name and description unknown'],
      [19, 'call_tool handler without an understandable dispatch on the tool name'],
    ]);
    expect(facts.unresolved[1]?.snippet).toBe('Tool(**spec)');
  });

  it('resolves enum tool names in Tool(...) and case patterns, pydantic inputSchema, nested handlers', async () => {
    const facts = await parseFixture('lowlevel_enum.py');
    expect(facts.registrations.map((r) => [str(r.name), handlerId(r), r.line])).toEqual([
      ['git_status', 'serve.call_tool#git_status', 42],
      ['git_commit', 'serve.call_tool#git_commit', 43],
    ]);
    expect(paramDocs(registration(facts, 'git_status'))).toEqual({ repo_path: 'Path to the Git repository' });
    expect(registration(facts, 'git_commit').params.map((p) => [p.name, p.required])).toEqual([
      ['repo_path', true],
      ['message', true],
    ]);
    const commit = fn(facts, 'serve.call_tool#git_commit');
    expect(JSON.stringify(shape(commit.body))).toContain('"git_commit"');
    expect(JSON.stringify(shape(commit.body))).not.toContain('"git_status"');
    expect(facts.unresolved).toEqual([]);
  });
});
