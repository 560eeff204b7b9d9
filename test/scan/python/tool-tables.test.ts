import { describe, expect, it } from 'vitest';
import { parseSource, registration } from './helpers.js';

describe('Python tool tables and add_tool loops', () => {
  it('registers dict tool definitions, with the handler entry when there is one', async () => {
    const facts = await parseSource(
      [
        'import subprocess',
        '',
        'def run_command(command: str) -> str:',
        '    return subprocess.check_output(command, shell=True).decode()',
        '',
        'TOOLS = [',
        '    {',
        '        "name": "run_command",',
        '        "description": "Runs a shell command.",',
        '        "input_schema": {"type": "object", "properties": {"command": {"type": "string"}}},',
        '        "handler": run_command,',
        '    },',
        '    {"name": "get_time", "description": "Current time.", "input_schema": {"type": "object", "properties": {}}},',
        ']',
      ].join('\n'),
      'agent_tools.py',
    );
    expect(facts.registrations).toHaveLength(2);
    const run = registration(facts, 'run_command');
    expect(run).toMatchObject({ framework: 'unknown', handler: { kind: 'function', id: 'run_command' } });
    expect(run.schema?.k).toBe('object');
    expect(registration(facts, 'get_time').handler).toBeNull();
  });

  it('never takes OpenAPI parameters, option tables or response formats for tools', async () => {
    const facts = await parseSource(
      [
        'PARAM = {"name": "petId", "in": "path", "description": "Pet id", "schema": {"type": "integer"}}',
        'OPTIONS = [{"name": "port", "description": "Port", "type": "int", "default": 8000}]',
        'FORMAT = {"name": "report", "description": "A report", "schema": {"type": "object"}, "strict": True}',
        'OP = {"name": "getPet", "description": "Get", "parameters": [PARAM]}',
        'def convert(tool):',
        '    return {"name": tool.name, "description": tool.description, "parameters": tool.schema}',
      ].join('\n'),
      'openapi_util.py',
    );
    expect(facts.registrations).toEqual([]);
  });

  it('registers each function of a literal list given to add_tool in a loop, and lists a run-time list', async () => {
    const facts = await parseSource(
      [
        'from mcp.server.fastmcp import FastMCP',
        'mcp = FastMCP("ops")',
        '',
        'def list_pods(namespace: str) -> str:',
        '    """List pods."""',
        '    return namespace',
        '',
        'def delete_pod(name: str) -> str:',
        '    """Delete a pod."""',
        '    return name',
        '',
        'for fn in (list_pods, delete_pod):',
        '    mcp.add_tool(fn)',
        '',
        'for fn in load_plugins():',
        '    mcp.add_tool(fn)',
      ].join('\n'),
      'server.py',
    );
    expect(facts.registrations.map((r) => r.defaultName)).toEqual(['list_pods', 'delete_pod']);
    expect(registration(facts, 'list_pods').handler).toEqual({ kind: 'function', id: 'list_pods' });
    expect(facts.unresolved).toHaveLength(1);
    expect(facts.unresolved[0]?.reason).toContain('loop over a list built at run time');
  });
});
