// The approval page: pending questions with approve-once / approve-for-session / deny buttons, and
// the latest answers. Plain HTML forms, no script; every value from the agent's side is escaped.

import { createHash } from 'node:crypto';
import type { ApprovalView } from './describe.js';

export interface PendingView {
  id: string;
  view: ApprovalView;
  /** ms left before the question times out. */
  leftMs: number;
}

export interface AnsweredView {
  view: ApprovalView;
  outcome: string;
  at: number;
}

export const PAGE_STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
h1{font-size:1.3em}.q{border:1px solid #bbb;border-radius:6px;padding:1em;margin:1em 0}
pre{white-space:pre-wrap;word-break:break-all;background:#f4f4f4;padding:.5em;max-height:20em;overflow:auto}
button{font-size:1em;margin-right:.5em;padding:.4em 1em}.deny{background:#fdd}.once{background:#dfd}
.muted{color:#666}table{border-collapse:collapse}td{padding:.2em .6em;border-bottom:1px solid #ddd}`;

/** CSP hash of the one inline style block, so the page needs no 'unsafe-inline'. */
export const PAGE_STYLE_HASH = `sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderPage(options: {
  answerPath: string;
  csrf: string;
  pending: PendingView[];
  answered: AnsweredView[];
}): string {
  const e = escapeHtml;
  const questions = options.pending
    .map(
      (p) => `<div class="q" id="q-${e(p.id)}">
<div><b>${e(p.view.server)}/${e(p.view.tool)}</b> <span class="muted">(${Math.ceil(p.leftMs / 1000)} s left)</span></div>
<p>${e(p.view.reason)}</p>
<div class="muted">rule: ${e(p.view.rule)}</div>
<pre>${e(p.view.args)}</pre>
<form method="post" action="${e(options.answerPath)}">
<input type="hidden" name="csrf" value="${e(options.csrf)}"><input type="hidden" name="id" value="${e(p.id)}">
<button class="once" id="once-${e(p.id)}" name="decision" value="once">Approve once</button>
<button id="session-${e(p.id)}" name="decision" value="session">Approve for this session</button>
<button class="deny" id="deny-${e(p.id)}" name="decision" value="deny">Deny</button>
</form></div>`,
    )
    .join('\n');
  const answers = options.answered
    .map(
      (a) =>
        `<tr><td>${e(new Date(a.at).toISOString())}</td><td>${e(a.view.server)}/${e(a.view.tool)}</td><td class="outcome">${e(a.outcome)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta http-equiv="refresh" content="5"><meta name="referrer" content="same-origin">
<title>portcullis approvals (${options.pending.length})</title><style>${PAGE_STYLE}</style></head>
<body><h1>Portcullis: calls waiting for your approval</h1>
${questions || '<p class="muted" id="none">Nothing is waiting for approval.</p>'}
<h2>Recent answers</h2>
<table id="answers">${answers}</table>
</body></html>`;
}
