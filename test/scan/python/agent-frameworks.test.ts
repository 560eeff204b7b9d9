import { describe, expect, it } from 'vitest';
import { handlerId, paramDocs, parseFixture, registration, str } from './helpers.js';

describe('smolagents', () => {
  it('reads @tool with Args: docs and Tool subclasses with inputs and forward', async () => {
    const facts = await parseFixture('smolagents_tools.py');
    expect(facts.registrations.map((r) => r.framework)).toEqual(['smolagents', 'smolagents']);
    const weather = registration(facts, 'get_weather');
    expect(weather.line).toBe(5);
    expect(str(weather.description)).toBe(
      'Get the current weather at the given location.\n\nArgs:\n    location: the location to look up\n    celsius: whether to report in Celsius',
    );
    expect(paramDocs(weather)).toEqual({
      location: 'the location to look up',
      celsius: 'whether to report in Celsius',
    });
    expect(weather.params.map((p) => [p.name, p.required])).toEqual([
      ['location', true],
      ['celsius', false],
    ]);

    const downloads = registration(facts, 'model_download_counter');
    expect(downloads.line).toBe(17);
    expect(handlerId(downloads)).toBe('HFModelDownloadsTool.forward');
    expect(str(downloads.description)).toContain('most downloaded model');
    expect(downloads.params).toEqual([
      {
        name: 'task',
        type: 'string',
        required: true,
        description: {
          k: 'str',
          value: 'the task category (such as text-classification, depth-estimation, etc)',
        },
      },
      { name: 'sort', type: 'string', required: false, description: { k: 'str', value: 'sort key' } },
    ]);
  });
});

describe('CrewAI', () => {
  it('reads @tool("Name") and BaseTool subclasses from crewai', async () => {
    const facts = await parseFixture('crewai_tools.py');
    expect(facts.registrations.map((r) => r.framework)).toEqual(['crewai', 'crewai']);
    const du = registration(facts, 'Disk Usage');
    expect(du).toMatchObject({ line: 8, defaultName: 'disk_usage' });
    expect(str(du.description)).toBe('Report the disk usage of a directory.');
    const custom = registration(facts, 'Name of my tool');
    expect(handlerId(custom)).toBe('MyCustomTool._run');
    expect(custom.params).toEqual([
      {
        name: 'argument',
        type: 'str',
        required: true,
        description: { k: 'str', value: 'Description of the argument.' },
      },
    ]);
  });
});

describe('OpenAI Agents', () => {
  it('reads @function_tool and overrides, skipping the RunContextWrapper parameter', async () => {
    const facts = await parseFixture('openai_agents_tools.py');
    expect(facts.registrations.map((r) => r.framework)).toEqual(['openai-agents', 'openai-agents']);
    const weather = registration(facts, 'fetch_weather');
    expect(paramDocs(weather)).toEqual({ location: 'The location to fetch the weather for.' });
    const data = registration(facts, 'fetch_data');
    expect(data).toMatchObject({ line: 16, defaultName: 'read_file' });
    expect(str(data.description)).toBe("Read a file's contents.");
    expect(data.params.map((p) => [p.name, p.type, p.required])).toEqual([
      ['path', 'str', true],
      ['directory', 'str | None', false],
    ]);
  });
});
