// Package-level linking of tool definitions to the dispatch that runs them in another file:
// a CallTool switch whose keys are imported constants, a `handleToolCall(name, args)` dispatch
// function, computed-key handler maps, imported handler maps indexed in a registration loop,
// and the CallTool handler as the fallback for a generic dispatcher. Real front end, real engine.
import { describe, expect, it } from 'vitest';
import { parseJs } from '../../../src/scan/js/index.js';
import { analyze, summarize, toolOf } from './helpers.js';

const defs = `
export const readTool = { name: 'read_note', description: 'Reads a note.', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } };
export const sendTool = { name: 'send_note', description: 'Sends a note by e-mail.', inputSchema: { type: 'object', properties: { to: { type: 'string' } } } };
`;

describe('linking definitions to a dispatch in another file', () => {
  it('links through a CallTool switch on imported constant keys (and a wrapped handler)', () => {
    const index = `
import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { readTool, sendTool } from './defs.js';
import { readFileSync } from 'node:fs';
server.setRequestHandler(CallToolRequestSchema, traced(async (request) => {
  switch (request.params.name) {
    case readTool.name: return readFileSync('/data/' + request.params.arguments.id, 'utf8');
    case sendTool.name: return fetch('https://mail.example.com/send', { method: 'POST', body: request.params.arguments.to });
  }
}));`;
    const a = analyze(parseJs(defs, 'src/defs.js'), parseJs(index, 'src/index.js'));
    const read = toolOf(a, 'read_note');
    const send = toolOf(a, 'send_note');
    expect(read.handler?.file).toBe('src/index.js');
    expect(summarize(read).some((l) => l.startsWith('file.read'))).toBe(true);
    expect(summarize(read).some((l) => l.startsWith('network'))).toBe(false);
    expect(summarize(send).some((l) => l.startsWith('network'))).toBe(true);
    expect(summarize(send).some((l) => l.startsWith('file.read'))).toBe(false);
  });

  it('links through a dispatch function switching on a name parameter', () => {
    const handler = `
export async function handleToolCall(name, args) {
  switch (name) {
    case 'read_note': return require('fs').readFileSync(args.id);
    case 'send_note': return fetch('https://mail.example.com', { method: 'POST', body: args.to });
  }
}`;
    const a = analyze(parseJs(defs, 'src/defs.js'), parseJs(handler, 'src/handler.js'));
    expect(toolOf(a, 'send_note').handler?.file).toBe('src/handler.js');
    expect(toolOf(a, 'send_note').flows.map((f) => f.source.kind === 'param' && f.source.name)).toContain(
      'to',
    );
    expect(toolOf(a, 'read_note').handler?.file).toBe('src/handler.js');
  });

  it('does not link through a switch on some name with fewer than two branches', () => {
    const other = `export function label(name) { if (name === 'send_note') { return fetch('https://x.example'); } }`;
    const a = analyze(parseJs(defs, 'src/defs.js'), parseJs(other, 'src/other.js'));
    expect(toolOf(a, 'send_note').handler).toBeUndefined();
  });

  it('links through a computed-key handler map and skips maps of text', () => {
    const maps = `
import { readTool, sendTool } from './defs.js';
const DESCRIPTIONS = { read_note: 'long text' };
async function send(args) { return fetch('https://mail.example.com', { method: 'POST', body: args.to }); }
export const HANDLERS = { [sendTool.name]: send };
export function describe(name) { return DESCRIPTIONS[name]; }
export function call(name, args) { return HANDLERS[name](args); }`;
    const a = analyze(parseJs(defs, 'src/defs.js'), parseJs(maps, 'src/maps.js'));
    expect(toolOf(a, 'send_note').handler?.name).toBe('send');
    expect(toolOf(a, 'read_note').handler).toBeUndefined();
  });

  it('links a loop over an imported list through an imported handler map', () => {
    const table = `
import { readTool, sendTool } from './defs.js';
async function send(args) { return fetch('https://mail.example.com', { method: 'POST', body: args.to }); }
async function read(args) { return args.id; }
export const TOOLS = [readTool, sendTool];
export const HANDLERS = { read_note: read, send_note: send };`;
    const index = `
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { TOOLS, HANDLERS } from './table.js';
const server = new McpServer({ name: 'n', version: '1' });
TOOLS.forEach((tool) => {
  const handler = HANDLERS[tool.name];
  server.tool(tool.name, tool.description, tool.inputSchema, handler);
});`;
    const a = analyze(
      parseJs(defs, 'src/defs.js'),
      parseJs(table, 'src/table.js'),
      parseJs(index, 'src/index.js'),
    );
    expect(toolOf(a, 'send_note').handler).toMatchObject({ name: 'send', file: 'src/table.js' });
    expect(toolOf(a, 'read_note').handler).toMatchObject({ name: 'read', file: 'src/table.js' });
    expect(a.unresolved.some((u) => u.reason.includes('linked through `HANDLERS`'))).toBe(true);
  });

  it('falls back to a generic CallTool handler, nearest copy first', () => {
    const server = (dir: string) => `
import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { callTool } from './call.js';
server.setRequestHandler(CallToolRequestSchema, async (request) => callTool(request.params.name, request.params.arguments));
// ${dir}`;
    const a = analyze(
      parseJs(defs, 'dist/defs.js'),
      parseJs(server('src'), 'src/server.js'),
      parseJs(server('dist'), 'dist/server.js'),
    );
    expect(toolOf(a, 'read_note').handler?.file).toBe('dist/server.js');
  });
});

describe('compiled CommonJS interop helpers', () => {
  it('__importDefault(require("axios")) is axios (TypeScript CJS builds)', () => {
    const src = `
"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) { return (mod && mod.__esModule) ? mod : { "default": mod }; };
const mcp_js_1 = require("@modelcontextprotocol/sdk/server/mcp.js");
const axios_1 = __importDefault(require("axios"));
const client = axios_1.default.create({});
const server = new mcp_js_1.McpServer({ name: 'c', version: '1' });
server.tool('chart', 'Draws a chart.', {}, async (args) => client.post('https://charts.example.com', args));`;
    const t = toolOf(analyze(parseJs(src, 'build/index.js')), 'chart');
    expect(summarize(t).some((l) => l.startsWith('network axios'))).toBe(true);
  });
});

describe('hostile dispatches', () => {
  it('a long prelude before many branches is copied into each branch only up to a bound', () => {
    let src = 'export async function handleToolCall(name, args) {\n';
    for (let i = 0; i < 300; i++) src += `  const v${i} = args.a${i};\n`;
    src += '  switch (name) {\n';
    for (let i = 0; i < 1000; i++) src += `    case 't${i}': return v${i % 300};\n`;
    src += '  }\n}\n';
    const facts = parseJs(src, 'src/dispatch.js');
    const branches = facts.functions.filter((f) => f.id.startsWith('CallTool#t'));
    expect(branches).toHaveLength(1000);
    expect(Math.max(...branches.map((f) => f.body.length))).toBeLessThanOrEqual(65);
    expect(facts.dispatches?.[0]?.branches).toHaveLength(1000);
  });
});
