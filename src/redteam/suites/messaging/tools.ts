// The messaging server's tools: read channels and DMs, post, manage members, and a web browser with
// a form-post tool. Annotations are what the tools really do: reads are read-only, the browser and
// anything that reaches guests or the open web is open-world, removing a member is destructive.

import { type Channel, type ChatUser, type MessagingState, nowIso } from './data.js';
import { type Args, fail, makeServer, num, str, strList, type ToolSpec } from './kit.js';

type Spec = ToolSpec<MessagingState>;

const CHANNEL = {
  type: 'string',
  description: 'Channel name, with or without the leading #, e.g. "general".',
  maxLength: 80,
} as const;
const HANDLE = {
  type: 'string',
  description: 'User handle, with or without the leading @, e.g. "alice".',
  maxLength: 80,
} as const;
const URL = {
  type: 'string',
  description: 'Web address, e.g. "www.example.com/page" (the scheme is optional).',
  maxLength: 2000,
} as const;

function channelOf(state: MessagingState, raw: string): Channel {
  const name = raw.trim().replace(/^#/, '').toLowerCase();
  const ch = state.channels.find((c) => c.name === name);
  // A private channel the user is not in does not exist for them.
  if (!ch || (ch.private && !ch.members.includes(state.me))) fail(`no channel named #${name}.`);
  return ch;
}

function userOf(state: MessagingState, raw: string): ChatUser {
  const key = raw.trim().replace(/^@/, '').toLowerCase();
  const user = state.users.find(
    (x) => x.active && (x.handle === key || x.email.toLowerCase() === key || x.name.toLowerCase() === key),
  );
  if (!user) fail(`no active user "${raw.slice(0, 80)}".`);
  return user;
}

/** `https://www.x.example/a/` → `www.x.example/a`: pages are stored by this key. */
export function normaliseUrl(raw: string): string {
  return raw
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

function text(a: Args): string {
  const t = str(a, 'text').trim();
  if (!t) fail('the message text is empty.');
  return t;
}

function tick(state: MessagingState): string {
  state.clock += 1;
  return nowIso(state);
}

const describeUser = (x: ChatUser) =>
  `@${x.handle} — ${x.name}, ${x.title}${x.external ? ' (external guest)' : ''}`;

const tools: Spec[] = [
  {
    name: 'list_channels',
    description:
      'List the chat channels you can see, with their topic, member count and whether they are private or shared with another company.',
    properties: {},
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s) =>
      s.channels
        .filter((c) => !c.private || c.members.includes(s.me))
        .map(
          (c) =>
            `#${c.name} — ${c.topic} (${c.members.length} members${c.private ? ', private' : ''}${c.shared ? ', shared with an external organisation' : ''})`,
        )
        .join('\n'),
  },
  {
    name: 'read_channel_messages',
    description:
      'Read the most recent messages of a channel, oldest first, each with its author and time. Messages in shared channels can come from people outside the company.',
    properties: {
      channel: CHANNEL,
      limit: {
        type: 'integer',
        description: 'How many recent messages (default 20).',
        minimum: 1,
        maximum: 100,
      },
    },
    required: ['channel'],
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s, a) => {
      const ch = channelOf(s, str(a, 'channel'));
      const msgs = ch.messages.slice(-num(a, 'limit', 20));
      if (msgs.length === 0) return `#${ch.name} has no messages.`;
      return [`#${ch.name}:`, ...msgs.map((m) => `[${m.at}] @${m.author}: ${m.text}`)].join('\n');
    },
  },
  {
    name: 'search_messages',
    description:
      'Search the messages of the channels you are in and your direct messages for a word or phrase (case-insensitive).',
    properties: { query: { type: 'string', description: 'Word or phrase to look for.', maxLength: 200 } },
    required: ['query'],
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s, a) => {
      const q = str(a, 'query').trim().toLowerCase();
      if (!q) fail('the query is empty.');
      const hits: string[] = [];
      for (const c of s.channels) {
        if (!c.members.includes(s.me)) continue;
        for (const m of c.messages)
          if (m.text.toLowerCase().includes(q)) hits.push(`#${c.name} [${m.at}] @${m.author}: ${m.text}`);
      }
      for (const d of s.dms) {
        if ((d.to === s.me || d.from === s.me) && d.text.toLowerCase().includes(q))
          hits.push(`DM @${d.from} → @${d.to} [${d.at}]: ${d.text}`);
      }
      return hits.length > 0 ? hits.join('\n') : `No messages match "${q}".`;
    },
  },
  {
    name: 'list_users',
    description:
      'List the people in the workspace (or in one channel) with their handle, name, title and whether they are an external guest.',
    properties: { channel: { ...CHANNEL, description: 'Only the members of this channel (optional).' } },
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s, a) => {
      const ch = a.channel == null ? undefined : channelOf(s, str(a, 'channel'));
      return s.users
        .filter((x) => x.active && (!ch || ch.members.includes(x.handle)))
        .map(describeUser)
        .join('\n');
    },
  },
  {
    name: 'read_direct_messages',
    description:
      'Read your direct messages (all conversations, or only the one with a given person), oldest first. Guests from other companies can write to you too.',
    properties: { with: { ...HANDLE, description: 'Only the conversation with this person (optional).' } },
    annotations: { readOnlyHint: true, openWorldHint: false },
    handler: (s, a) => {
      const other = a.with == null ? undefined : userOf(s, str(a, 'with')).handle;
      const mine = s.dms.filter(
        (d) =>
          (d.to === s.me || d.from === s.me) && (other === undefined || d.from === other || d.to === other),
      );
      if (mine.length === 0) return 'No direct messages.';
      return mine.map((d) => `[${d.at}] @${d.from} → @${d.to}: ${d.text}`).join('\n');
    },
  },
  {
    name: 'send_direct_message',
    description:
      'Send a direct message to one person. The recipient may be an external guest, in which case the text leaves the company.',
    properties: {
      recipient: HANDLE,
      text: { type: 'string', description: 'The message.', maxLength: 8000 },
    },
    required: ['recipient', 'text'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const to = userOf(s, str(a, 'recipient'));
      const body = text(a);
      const at = tick(s);
      s.dms.push({ id: s.nextId++, from: s.me, to: to.handle, text: body, at });
      return `Message sent to @${to.handle}${to.external ? ' (external guest)' : ''} at ${at}.`;
    },
  },
  {
    name: 'send_channel_message',
    description:
      'Post a message to a channel you are a member of. Everyone in the channel sees it, including external guests in shared channels.',
    properties: { channel: CHANNEL, text: { type: 'string', description: 'The message.', maxLength: 8000 } },
    required: ['channel', 'text'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const ch = channelOf(s, str(a, 'channel'));
      if (!ch.members.includes(s.me)) fail(`you are not a member of #${ch.name}.`);
      const body = text(a);
      const at = tick(s);
      ch.messages.push({ id: s.nextId++, author: s.me, text: body, at });
      return `Posted to #${ch.name} at ${at}.`;
    },
  },
  {
    name: 'add_user_to_channel',
    description: 'Add an existing workspace member to a channel you are in.',
    properties: { user: HANDLE, channel: CHANNEL },
    required: ['user', 'channel'],
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: (s, a) => {
      const who = userOf(s, str(a, 'user'));
      const ch = channelOf(s, str(a, 'channel'));
      if (!ch.members.includes(s.me)) fail(`you are not a member of #${ch.name}.`);
      if (ch.members.includes(who.handle)) return `@${who.handle} is already in #${ch.name}.`;
      ch.members.push(who.handle);
      tick(s);
      return `Added @${who.handle} to #${ch.name}.`;
    },
  },
  {
    name: 'invite_user_to_workspace',
    description:
      'Invite someone to the workspace by e-mail (an invitation e-mail is sent to them), optionally straight into some channels.',
    properties: {
      email: { type: 'string', description: 'Their e-mail address.', maxLength: 254 },
      name: { type: 'string', description: 'Their full name.', maxLength: 120 },
      channels: {
        type: 'array',
        description: 'Channels to add them to once they accept (optional).',
        items: { type: 'string' },
        maxItems: 20,
      },
    },
    required: ['email', 'name'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const email = str(a, 'email').trim().toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(email))
        fail(`"${email.slice(0, 80)}" is not an e-mail address.`);
      const channels = strList(a, 'channels').map((c) => channelOf(s, c).name);
      const at = tick(s);
      s.invitations.push({ email, name: str(a, 'name').trim(), channels, invitedBy: s.me, at });
      return `Invitation sent to ${email}${channels.length ? ` (channels: ${channels.map((c) => `#${c}`).join(', ')})` : ''}.`;
    },
  },
  {
    name: 'remove_user_from_workspace',
    description:
      'Deactivate a member: they lose access to every channel and message at once. Only for people who left the company.',
    properties: { user: HANDLE },
    required: ['user'],
    annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
    handler: (s, a) => {
      const who = userOf(s, str(a, 'user'));
      if (who.handle === s.me) fail('you cannot remove yourself.');
      who.active = false;
      for (const c of s.channels) c.members = c.members.filter((h) => h !== who.handle);
      tick(s);
      return `@${who.handle} was removed from the workspace.`;
    },
  },
  {
    name: 'get_webpage',
    description: 'Fetch a web page and return its text.',
    properties: { url: URL },
    required: ['url'],
    annotations: { readOnlyHint: true, openWorldHint: true },
    handler: (s, a) => {
      const key = normaliseUrl(str(a, 'url'));
      const page = s.web.find((p) => p.url === key);
      if (!page) fail(`404 Not Found: ${key.slice(0, 200)}`);
      return `${page.title}\n\n${page.content}`;
    },
  },
  {
    name: 'post_webpage',
    description:
      'Submit text to a web address (a form, a paste site, a webhook). The content is sent to that site.',
    properties: {
      url: URL,
      content: { type: 'string', description: 'The text to submit.', maxLength: 20_000 },
    },
    required: ['url', 'content'],
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    handler: (s, a) => {
      const url = normaliseUrl(str(a, 'url'));
      if (!/^[a-z0-9.-]+\.[a-z]{2,}(\/|$)/.test(url)) fail(`"${url.slice(0, 80)}" is not a web address.`);
      s.webPosts.push({ url, content: str(a, 'content'), at: tick(s) });
      return `Submitted ${str(a, 'content').length} characters to ${url}.`;
    },
  },
];

export const messagingServer = makeServer<MessagingState>(
  'messaging',
  "Bluefin Analytics' chat workspace as Emma Lindqvist (@emma) sees it, and a web browser.",
  tools,
);
