// The workspace MCP server: email, calendar, drive and contacts over one state. Annotations are
// what an honest server would declare: reading mail, invitations and shared files brings in text
// others wrote (open world); sending and sharing leave the machine; deleting destroys.

import type { EnvServer, EnvTool, EnvToolResult } from '../../types.js';
import { json, optStr, str, strList } from '../common.js';
import type { Email, WorkspaceState } from './data.js';

const READ_OPEN = { readOnlyHint: true, openWorldHint: true };
const READ = { readOnlyHint: true };
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object' as const,
  properties,
  required,
});
const S = (description: string) => ({ type: 'string', description });
const L = (description: string) => ({ type: 'array', items: { type: 'string' }, description });

const TOOLS: EnvTool[] = [
  {
    name: 'list_emails',
    description: 'List emails in a folder (inbox or sent), newest first: id, sender, subject, date.',
    inputSchema: obj({ folder: S('inbox (default) or sent') }),
    annotations: READ_OPEN,
  },
  {
    name: 'search_emails',
    description: 'Search emails by a word in the sender, subject or body; returns the full emails.',
    inputSchema: obj({ query: S('Text to look for') }, ['query']),
    annotations: READ_OPEN,
  },
  {
    name: 'read_email',
    description: 'Read one email by id.',
    inputSchema: obj({ id: S('Email id') }, ['id']),
    annotations: READ_OPEN,
  },
  {
    name: 'send_email',
    description: 'Send an email from the user.',
    inputSchema: obj(
      { to: L('Recipients'), subject: S('Subject'), body: S('Body'), cc: L('Cc'), bcc: L('Bcc') },
      ['to', 'subject', 'body'],
    ),
    annotations: { openWorldHint: true },
  },
  {
    name: 'delete_email',
    description: 'Delete an email by id.',
    inputSchema: obj({ id: S('Email id') }, ['id']),
    annotations: { destructiveHint: true },
  },
  {
    name: 'list_events',
    description: "List the calendar events of one day (YYYY-MM-DD), with invitations' descriptions.",
    inputSchema: obj({ day: S('YYYY-MM-DD') }, ['day']),
    annotations: READ_OPEN,
  },
  {
    name: 'create_event',
    description: 'Create a calendar event; participants other than the user receive an invitation.',
    inputSchema: obj(
      {
        title: S('Title'),
        start: S('YYYY-MM-DDTHH:MM'),
        end: S('YYYY-MM-DDTHH:MM'),
        location: S('Location'),
        participants: L('Email addresses to invite'),
        description: S('Description'),
      },
      ['title', 'start', 'end'],
    ),
    annotations: { openWorldHint: true },
  },
  {
    name: 'cancel_event',
    description: 'Cancel (delete) a calendar event by id.',
    inputSchema: obj({ id: S('Event id') }, ['id']),
    annotations: { destructiveHint: true },
  },
  {
    name: 'list_files',
    description: 'List the files in the drive: name, owner, who it is shared with.',
    inputSchema: obj({}),
    annotations: READ,
  },
  {
    name: 'read_file',
    description: 'Read a file of the drive (own files and files others shared with the user).',
    inputSchema: obj({ name: S('File name') }, ['name']),
    annotations: READ_OPEN,
  },
  {
    name: 'write_file',
    description: 'Create a file, or append to it when it exists and append is true.',
    inputSchema: obj({ name: S('File name'), content: S('Text'), append: { type: 'boolean' } }, [
      'name',
      'content',
    ]),
  },
  {
    name: 'share_file',
    description: 'Share a file with someone by email address.',
    inputSchema: obj({ name: S('File name'), email: S('Address to share with') }, ['name', 'email']),
    annotations: { openWorldHint: true },
  },
  {
    name: 'delete_file',
    description: 'Delete a file from the drive.',
    inputSchema: obj({ name: S('File name') }, ['name']),
    annotations: { destructiveHint: true },
  },
  {
    name: 'search_contacts',
    description: 'Find contacts by name, email or company.',
    inputSchema: obj({ query: S('Text to look for') }, ['query']),
    annotations: READ,
  },
];

const ok = (value: unknown): EnvToolResult => ({ text: typeof value === 'string' ? value : json(value) });
const fail = (text: string): EnvToolResult => ({ text, isError: true });
const has = (e: Email, q: string) =>
  `${e.from} ${e.subject} ${e.body}`.toLowerCase().includes(q.toLowerCase());

function call(s: WorkspaceState, tool: string, a: Record<string, unknown>): EnvToolResult {
  switch (tool) {
    case 'list_emails': {
      const folder = optStr(a, 'folder') ?? 'inbox';
      return ok(
        s.emails
          .filter((e) => e.folder === folder)
          .sort((x, y) => y.date.localeCompare(x.date))
          .map(({ id, from, to, subject, date }) => ({ id, from, to, subject, date })),
      );
    }
    case 'search_emails': {
      const q = str(a, 'query');
      return ok(s.emails.filter((e) => has(e, q)));
    }
    case 'read_email': {
      const e = s.emails.find((m) => m.id === str(a, 'id'));
      return e ? ok(e) : fail(`no email with id ${String(a.id)}`);
    }
    case 'send_email': {
      const to = strList(a, 'to');
      if (to.length === 0) return fail('send_email needs at least one recipient');
      const e: Email = {
        id: String(s.nextId++),
        folder: 'sent',
        from: s.user.email,
        to,
        cc: strList(a, 'cc'),
        bcc: strList(a, 'bcc'),
        subject: str(a, 'subject'),
        body: str(a, 'body'),
        date: '2026-12-01T12:00',
      };
      s.emails.push(e);
      return ok(`sent email ${e.id} to ${[...e.to, ...e.cc, ...e.bcc].join(', ')}`);
    }
    case 'delete_email': {
      const i = s.emails.findIndex((m) => m.id === str(a, 'id'));
      if (i < 0) return fail(`no email with id ${String(a.id)}`);
      s.emails.splice(i, 1);
      return ok(`deleted email ${String(a.id)}`);
    }
    case 'list_events': {
      const day = str(a, 'day');
      return ok(s.events.filter((e) => e.start.startsWith(day)));
    }
    case 'create_event': {
      const ev = {
        id: `ev${s.nextId++}`,
        title: str(a, 'title'),
        start: str(a, 'start'),
        end: str(a, 'end'),
        location: optStr(a, 'location') ?? '',
        participants: [s.user.email, ...strList(a, 'participants').filter((p) => p !== s.user.email)],
        description: optStr(a, 'description') ?? '',
      };
      s.events.push(ev);
      return ok(`created event ${ev.id}`);
    }
    case 'cancel_event': {
      const i = s.events.findIndex((e) => e.id === str(a, 'id'));
      if (i < 0) return fail(`no event with id ${String(a.id)}`);
      s.events.splice(i, 1);
      return ok(`cancelled event ${String(a.id)}`);
    }
    case 'list_files':
      return ok(s.files.map(({ name, owner, shared_with }) => ({ name, owner, shared_with })));
    case 'read_file': {
      const f = s.files.find((x) => x.name === str(a, 'name'));
      return f ? ok(f) : fail(`no file named ${String(a.name)}`);
    }
    case 'write_file': {
      const name = str(a, 'name');
      const content = str(a, 'content');
      const f = s.files.find((x) => x.name === name);
      if (f && a.append === true) f.content += content;
      else if (f) f.content = content;
      else s.files.push({ name, owner: s.user.email, shared_with: [], content });
      return ok(`wrote ${name}`);
    }
    case 'share_file': {
      const f = s.files.find((x) => x.name === str(a, 'name'));
      if (!f) return fail(`no file named ${String(a.name)}`);
      const email = str(a, 'email');
      if (!f.shared_with.includes(email)) f.shared_with.push(email);
      return ok(`shared ${f.name} with ${email}`);
    }
    case 'delete_file': {
      const i = s.files.findIndex((x) => x.name === str(a, 'name'));
      if (i < 0) return fail(`no file named ${String(a.name)}`);
      s.files.splice(i, 1);
      return ok(`deleted ${String(a.name)}`);
    }
    case 'search_contacts': {
      const q = str(a, 'query').toLowerCase();
      return ok(s.contacts.filter((c) => `${c.name} ${c.email} ${c.company}`.toLowerCase().includes(q)));
    }
    default:
      return fail(`unknown tool ${tool}`);
  }
}

export const workspaceServer: EnvServer<WorkspaceState> = {
  name: 'workspace',
  instructions: "Emma Johnson's work email, calendar, drive and contacts.",
  tools: () => TOOLS,
  call,
};
