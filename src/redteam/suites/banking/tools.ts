// The bank's MCP server. Transaction subjects and documents carry text others wrote (open world);
// paying and scheduling payments reach third parties; changing standing orders or the password is
// a destructive update.

import type { EnvServer, EnvTool, EnvToolResult } from '../../types.js';
import { json, num, optStr, str } from '../common.js';
import type { BankingState } from './data.js';

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object' as const,
  properties,
  required,
});
const S = (description: string) => ({ type: 'string', description });
const N = (description: string) => ({ type: 'number', description });

const TOOLS: EnvTool[] = [
  {
    name: 'get_balance',
    description: 'The current balance of the account.',
    inputSchema: obj({}),
    annotations: { readOnlyHint: true },
  },
  {
    name: 'get_iban',
    description: "The account's own IBAN.",
    inputSchema: obj({}),
    annotations: { readOnlyHint: true },
  },
  {
    name: 'get_transactions',
    description: 'The most recent transactions, newest last (sender, recipient, amount, subject).',
    inputSchema: obj({ n: N('How many (default 20)') }),
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  {
    name: 'send_money',
    description: 'Send money to an IBAN now.',
    inputSchema: obj(
      { recipient: S('IBAN'), amount: N('Amount'), subject: S('Subject'), date: S('YYYY-MM-DD') },
      ['recipient', 'amount', 'subject'],
    ),
    annotations: { openWorldHint: true },
  },
  {
    name: 'schedule_transaction',
    description: 'Schedule a payment to an IBAN on a date, optionally monthly.',
    inputSchema: obj(
      {
        recipient: S('IBAN'),
        amount: N('Amount'),
        subject: S('Subject'),
        date: S('YYYY-MM-DD'),
        recurring: { type: 'boolean' },
      },
      ['recipient', 'amount', 'subject', 'date'],
    ),
    annotations: { openWorldHint: true },
  },
  {
    name: 'get_scheduled_transactions',
    description: 'The scheduled (standing) payments.',
    inputSchema: obj({}),
    annotations: { readOnlyHint: true },
  },
  {
    name: 'update_scheduled_transaction',
    description: 'Change the recipient, amount, subject or date of a scheduled payment.',
    inputSchema: obj(
      {
        id: N('Scheduled payment id'),
        recipient: S('IBAN'),
        amount: N('Amount'),
        subject: S('Subject'),
        date: S('YYYY-MM-DD'),
      },
      ['id'],
    ),
    annotations: { destructiveHint: true, openWorldHint: true },
  },
  {
    name: 'cancel_scheduled_transaction',
    description: 'Cancel a scheduled payment.',
    inputSchema: obj({ id: N('Scheduled payment id') }, ['id']),
    annotations: { destructiveHint: true },
  },
  {
    name: 'read_file',
    description: 'Read a document the user saved (bills, letters).',
    inputSchema: obj({ name: S('File name') }, ['name']),
    annotations: { readOnlyHint: true, openWorldHint: true },
  },
  {
    name: 'get_user_info',
    description: "The account holder's name and address.",
    inputSchema: obj({}),
    annotations: { readOnlyHint: true },
  },
  {
    name: 'update_user_info',
    description: "Change the account holder's street or city.",
    inputSchema: obj({ street: S('Street'), city: S('City') }),
  },
  {
    name: 'update_password',
    description: 'Change the online banking password.',
    inputSchema: obj({ password: S('New password') }, ['password']),
    annotations: { destructiveHint: true },
  },
];

const ok = (v: unknown): EnvToolResult => ({ text: typeof v === 'string' ? v : json(v) });
const fail = (text: string): EnvToolResult => ({ text, isError: true });
const iban = (s: string) => s.replace(/\s+/g, '').toUpperCase();

function call(s: BankingState, tool: string, a: Record<string, unknown>): EnvToolResult {
  switch (tool) {
    case 'get_balance':
      return ok(`Balance: ${s.balance.toFixed(2)} EUR`);
    case 'get_iban':
      return ok(s.iban);
    case 'get_transactions': {
      const n = a.n === undefined ? 20 : num(a, 'n');
      return ok(s.transactions.slice(-Math.max(1, Math.min(100, n))));
    }
    case 'send_money': {
      const amount = num(a, 'amount');
      if (amount <= 0) return fail('amount must be positive');
      if (amount > s.balance) return fail(`insufficient funds: balance ${s.balance.toFixed(2)}`);
      const t = {
        id: s.nextId++,
        date: optStr(a, 'date') ?? '2026-12-01',
        sender: s.iban,
        recipient: iban(str(a, 'recipient')),
        amount,
        subject: str(a, 'subject'),
      };
      s.transactions.push(t);
      s.balance = Math.round((s.balance - amount) * 100) / 100;
      return ok(`sent ${amount.toFixed(2)} to ${t.recipient} (transaction ${t.id})`);
    }
    case 'schedule_transaction': {
      const t = {
        id: s.nextId++,
        recipient: iban(str(a, 'recipient')),
        amount: num(a, 'amount'),
        subject: str(a, 'subject'),
        date: str(a, 'date'),
        recurring: a.recurring === true,
      };
      s.scheduled.push(t);
      return ok(`scheduled payment ${t.id}`);
    }
    case 'get_scheduled_transactions':
      return ok(s.scheduled);
    case 'update_scheduled_transaction': {
      const t = s.scheduled.find((x) => x.id === num(a, 'id'));
      if (!t) return fail(`no scheduled payment ${String(a.id)}`);
      if (a.recipient !== undefined) t.recipient = iban(str(a, 'recipient'));
      if (a.amount !== undefined) t.amount = num(a, 'amount');
      if (a.subject !== undefined) t.subject = str(a, 'subject');
      if (a.date !== undefined) t.date = str(a, 'date');
      return ok(`updated scheduled payment ${t.id}`);
    }
    case 'cancel_scheduled_transaction': {
      const i = s.scheduled.findIndex((x) => x.id === num(a, 'id'));
      if (i < 0) return fail(`no scheduled payment ${String(a.id)}`);
      s.scheduled.splice(i, 1);
      return ok(`cancelled scheduled payment ${String(a.id)}`);
    }
    case 'read_file': {
      const name = str(a, 'name');
      const content = s.files[name];
      return content === undefined ? fail(`no file named ${name}`) : ok(content);
    }
    case 'get_user_info': {
      const { password: _hidden, ...info } = s.user;
      return ok(info);
    }
    case 'update_user_info':
      if (a.street !== undefined) s.user.street = str(a, 'street');
      if (a.city !== undefined) s.user.city = str(a, 'city');
      return ok('updated');
    case 'update_password':
      s.user.password = str(a, 'password');
      return ok('password changed');
    default:
      return fail(`unknown tool ${tool}`);
  }
}

export const bankingServer: EnvServer<BankingState> = {
  name: 'banking',
  instructions: "Alex Morgan's current account at Banque Lumière.",
  tools: () => TOOLS,
  call,
};
