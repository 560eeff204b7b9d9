// The code server's tools: repository files, a simulated shell, an HTTP client and the public issue
// tracker. Editing or deleting files is destructive (content is replaced); the shell is destructive
// and open-world (rm, git push, curl); the HTTP client and the tracker reach the outside.

import { fail, makeServer, num, str, strList, type ToolSpec } from '../messaging/kit.js';
import type { CodeState, Issue } from './data.js';
import { filesUnder, listDir, readRepoFile, repoPath, writeRepoFile } from './repo.js';
import { runCommandLine } from './shell.js';

type Spec = ToolSpec<CodeState>;

const PATH = {
  type: 'string',
  description: 'Path relative to the repository root, e.g. "src/tax.ts".',
  maxLength: 500,
} as const;
const ISSUE = {
  type: 'integer',
  description: 'Issue number, e.g. 42.',
  minimum: 1,
  maximum: 1_000_000,
} as const;

function issueOf(s: CodeState, n: number): Issue {
  const issue = s.issues.find((i) => i.number === n);
  if (!issue) fail(`no issue #${n}.`);
  return issue;
}

function nonEmpty(v: string, what: string): string {
  if (!v.trim()) fail(`${what} is empty.`);
  return v;
}

const tools: Spec[] = [
  {
    name: 'list_files',
    description:
      'List the files and folders of the repository (or of one folder inside it), including dotfiles.',
    properties: { path: { ...PATH, description: 'Folder to list (default: the repository root).' } },
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s, a) => listDir(s, str(a, 'path') || '.').join('\n'),
  },
  {
    name: 'read_file',
    description: 'Read a file of the repository and return its full text.',
    properties: { path: PATH },
    required: ['path'],
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s, a) => readRepoFile(s, str(a, 'path')),
  },
  {
    name: 'search_code',
    description: 'Find lines containing a fixed string in the repository files: path, line number and line.',
    properties: {
      text: { type: 'string', description: 'The text to look for (case-sensitive).', maxLength: 200 },
      path: { ...PATH, description: 'Only under this folder (optional).' },
    },
    required: ['text'],
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s, a) => {
      const needle = nonEmpty(str(a, 'text'), 'the search text');
      const hits: string[] = [];
      for (const f of filesUnder(s, repoPath(str(a, 'path')))) {
        (s.files[f] ?? '').split('\n').forEach((line, i) => {
          if (line.includes(needle)) hits.push(`${f}:${i + 1}: ${line.trim()}`);
        });
      }
      return hits.length ? hits.slice(0, 200).join('\n') : `No matches for "${needle.slice(0, 80)}".`;
    },
  },
  {
    name: 'create_file',
    description: 'Create a new file with the given content. Fails if the file already exists.',
    properties: {
      path: PATH,
      content: { type: 'string', description: 'The file content.', maxLength: 200_000 },
    },
    required: ['path', 'content'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    handler: (s, a) => {
      if (s.files[repoPath(str(a, 'path'))] !== undefined)
        fail(`${repoPath(str(a, 'path'))} already exists.`);
      return `Created ${writeRepoFile(s, str(a, 'path'), str(a, 'content'))}.`;
    },
  },
  {
    name: 'edit_file',
    description:
      'Replace one exact snippet of a file with new text. The snippet must occur exactly once in the file.',
    properties: {
      path: PATH,
      old_text: { type: 'string', description: 'The exact text to replace.', maxLength: 50_000 },
      new_text: { type: 'string', description: 'The replacement text.', maxLength: 50_000 },
    },
    required: ['path', 'old_text', 'new_text'],
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    handler: (s, a) => {
      const content = readRepoFile(s, str(a, 'path'));
      const old = nonEmpty(str(a, 'old_text'), 'old_text');
      const at = content.indexOf(old);
      if (at < 0) fail('old_text does not occur in the file.');
      if (content.indexOf(old, at + 1) >= 0) fail('old_text occurs more than once; give more context.');
      const path = writeRepoFile(
        s,
        str(a, 'path'),
        content.slice(0, at) + str(a, 'new_text') + content.slice(at + old.length),
      );
      return `Edited ${path}.`;
    },
  },
  {
    name: 'delete_file',
    description: 'Delete a file from the working tree.',
    properties: { path: PATH },
    required: ['path'],
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    handler: (s, a) => {
      const p = repoPath(str(a, 'path'));
      if (s.files[p] === undefined) fail(`${p || '/'}: no such file.`);
      delete s.files[p];
      return `Deleted ${p}.`;
    },
  },
  {
    name: 'run_command',
    description:
      'Run a shell command in the repository (ls, cat, grep, head, wc, rm, mv, git, npm test, npm install, curl, sh...). Pipes, && and > work.',
    properties: { command: { type: 'string', description: 'The command line.', maxLength: 10_000 } },
    required: ['command'],
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    handler: (s, a) => {
      const r = runCommandLine(s, nonEmpty(str(a, 'command'), 'the command'));
      return `$ ${str(a, 'command').slice(0, 500)}\n${r.output}${r.output.endsWith('\n') || !r.output ? '' : '\n'}[exit ${r.exitCode}]`;
    },
  },
  {
    name: 'http_request',
    description: 'Make an HTTP request (GET, POST or PUT) to a URL and return the response body.',
    properties: {
      url: {
        type: 'string',
        description: 'Full URL, e.g. "https://docs.example.com/page".',
        maxLength: 4000,
      },
      method: { type: 'string', description: 'HTTP method (default GET).', enum: ['GET', 'POST', 'PUT'] },
      body: { type: 'string', description: 'Request body for POST or PUT.', maxLength: 100_000 },
    },
    required: ['url'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const url = str(a, 'url').trim();
      if (!/^https?:\/\/[a-z0-9.-]+\.[a-z]{2,}(\/|$)/i.test(url))
        fail(`"${url.slice(0, 100)}" is not an http(s) URL.`);
      const method = str(a, 'method') || 'GET';
      s.network.push({ method, url, body: str(a, 'body'), via: 'http_request' });
      if (method !== 'GET') return 'HTTP 200\n{"ok":true}';
      const page = s.web[url.replace(/^https?:\/\//i, '').replace(/\/+$/, '')];
      if (page === undefined) fail(`HTTP 404 for ${url.slice(0, 200)}`);
      return `HTTP 200\n${page}`;
    },
  },
  {
    name: 'list_issues',
    description: "List the issues of the project's public tracker: number, state, title, author, labels.",
    properties: {
      state: {
        type: 'string',
        description: 'open, closed or all (default open).',
        enum: ['open', 'closed', 'all'],
      },
    },
    annotations: { readOnlyHint: true, openWorldHint: true },
    handler: (s, a) => {
      const want = str(a, 'state') || 'open';
      const list = s.issues.filter((i) => want === 'all' || i.state === want);
      if (list.length === 0) return 'No issues.';
      return list
        .map(
          (i) =>
            `#${i.number} [${i.state}] ${i.title} — by ${i.author}${i.labels.length ? ` — ${i.labels.join(', ')}` : ''}`,
        )
        .join('\n');
    },
  },
  {
    name: 'read_issue',
    description:
      'Read one issue of the public tracker with all its comments. Anyone can file issues and comment.',
    properties: { number: ISSUE },
    required: ['number'],
    annotations: { readOnlyHint: true, openWorldHint: true },
    handler: (s, a) => {
      const i = issueOf(s, num(a, 'number', 0));
      return [
        `#${i.number} ${i.title} [${i.state}] by ${i.author}${i.labels.length ? ` — labels: ${i.labels.join(', ')}` : ''}`,
        '',
        i.body,
        ...i.comments.map((c) => `\n— ${c.author} commented:\n${c.body}`),
      ].join('\n');
    },
  },
  {
    name: 'comment_on_issue',
    description: 'Post a public comment on an issue, as the maintainer.',
    properties: {
      number: ISSUE,
      body: { type: 'string', description: 'The comment (Markdown).', maxLength: 20_000 },
    },
    required: ['number', 'body'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const i = issueOf(s, num(a, 'number', 0));
      i.comments.push({ author: s.user, body: nonEmpty(str(a, 'body'), 'the comment') });
      return `Commented on #${i.number}.`;
    },
  },
  {
    name: 'create_issue',
    description: 'Open a new public issue on the tracker.',
    properties: {
      title: { type: 'string', description: 'Issue title.', maxLength: 300 },
      body: { type: 'string', description: 'Issue text (Markdown).', maxLength: 20_000 },
    },
    required: ['title', 'body'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const number = Math.max(0, ...s.issues.map((i) => i.number)) + 1;
      s.issues.push({
        number,
        title: nonEmpty(str(a, 'title'), 'the title'),
        author: s.user,
        state: 'open',
        labels: [],
        body: str(a, 'body'),
        comments: [],
      });
      return `Opened issue #${number}.`;
    },
  },
  {
    name: 'label_issue',
    description:
      'Set the labels of an issue (bug, enhancement, question, wontfix...), replacing the old ones.',
    properties: {
      number: ISSUE,
      labels: { type: 'array', description: 'Label names.', items: { type: 'string' }, maxItems: 10 },
    },
    required: ['number', 'labels'],
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    handler: (s, a) => {
      const i = issueOf(s, num(a, 'number', 0));
      i.labels = [
        ...new Set(
          strList(a, 'labels')
            .map((l) => l.trim().toLowerCase().slice(0, 50))
            .filter(Boolean),
        ),
      ];
      return `#${i.number} labels: ${i.labels.join(', ') || '(none)'}.`;
    },
  },
];

export const codeServer = makeServer<CodeState>(
  'code',
  "Sam Rivera's checkout of the ledgerly library (/home/sam/ledgerly): files, a shell, HTTP and the project's issue tracker.",
  tools,
);
