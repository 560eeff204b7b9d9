// Judges what prompts/list, resources/list and resources/templates/list show the model — a prompt's
// name, title, description and argument descriptions; a resource's or template's name, title and
// description — with the same poisoning judges as tool definitions (vet.ts). A poisoned item keeps
// its identifier (a prompt's name, a resource's uri, a template's uriTemplate) and loses its text.
//
// The engine decides: each flagged item is registered as a pseudo tool (`prompt:NAME`,
// `resource:URI`, `resource-template:TEMPLATE`) on the server's content pseudo-server, carrying its
// judgement (PREJUDGED), so the policy's `poisoned` setting applies exactly as for tools — `deny`
// withholds it from listings and denies prompts/get / resources/read of it, `require-approval` asks
// before such a read, `off` lets it be. The flags are shared by every session of one guard and server.

import type { AuditRecordInput } from '../audit/index.js';
import type { ToolDefinition } from '../core/types.js';
import { listedToolDefinition } from '../text/tool/listed.js';
import type { Guard, RegisteredTool } from './types.js';
import { type DefinitionProblem, judgeDefinition, PREJUDGED } from './vet.js';

export type ListingKind = 'prompt' | 'resource' | 'template';

interface KindInfo {
  /** The list method, as recorded. */
  list: 'prompts/list' | 'resources/list' | 'resources/templates/list';
  /** The result field holding the items. */
  items: 'prompts' | 'resources' | 'resourceTemplates';
  /** The item's identifier field, kept when the item is withheld. */
  key: 'name' | 'uri' | 'uriTemplate';
  noun: string;
  /** The pseudo tool's name prefix. */
  prefix: string;
}

export const LISTING_KINDS: Record<ListingKind, KindInfo> = {
  prompt: { list: 'prompts/list', items: 'prompts', key: 'name', noun: 'prompt', prefix: 'prompt:' },
  resource: { list: 'resources/list', items: 'resources', key: 'uri', noun: 'resource', prefix: 'resource:' },
  template: {
    list: 'resources/templates/list',
    items: 'resourceTemplates',
    key: 'uriTemplate',
    noun: 'resource template',
    prefix: 'resource-template:',
  },
};

/** Flagged items remembered per server; a server listing more is refused (fail closed), not forgotten. */
export const MAX_FLAGGED_ITEMS = 2000;
/** Longest identifier quoted in a reason. */
const MAX_KEY_IN_REASON = 200;

export const WITHHELD_NOTICE =
  '[portcullis: blocked — this item’s description addresses the model (a poisoned listing); it was withheld and cannot be read]';

type Item = Record<string, unknown>;

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function shortKey(key: string): string {
  return key.length > MAX_KEY_IN_REASON ? `${key.slice(0, MAX_KEY_IN_REASON)}…` : key;
}

/** A prompt's arguments as the input schema the parameter judges read. */
function argumentSchema(args: unknown): unknown {
  if (!Array.isArray(args)) return undefined;
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const a of args as Item[]) {
    const name = text(a?.name);
    if (name === undefined || Object.hasOwn(properties, name)) continue;
    const prop: Item = { type: 'string' };
    if (text(a.description) !== undefined) prop.description = a.description;
    if (text(a.title) !== undefined) prop.title = a.title;
    properties[name] = prop;
    if (a.required === true) required.push(name);
  }
  return { type: 'object', properties, required };
}

/** The texts of a listed item as a definition the tool judges read. */
export function listingDefinition(kind: ListingKind, item: Item, server: string): ToolDefinition {
  return listedToolDefinition(
    {
      name: text(item.name) ?? '',
      title: item.title,
      description: item.description,
      ...(kind === 'prompt' ? { inputSchema: argumentSchema(item.arguments) } : {}),
    },
    server,
  );
}

/** The judgement of one listed item; an item the judges cannot read is judged poisoned (fail closed). */
export function vetListing(kind: ListingKind, item: Item, server: string): DefinitionProblem | undefined {
  const key = text(item?.[LISTING_KINDS[kind].key]) ?? '';
  const subject = `${LISTING_KINDS[kind].noun} ${server}/${shortKey(key)}`;
  try {
    return judgeDefinition(listingDefinition(kind, item, server), subject);
  } catch (e) {
    const reason = `the definition of ${subject} could not be checked (${(e as Error)?.message ?? String(e)})`;
    return { severity: 'high', reason, detail: reason, judgements: [] };
  }
}

/**
 * Whether a URI could be one of a template's: every `{…}` expression matches any text (wider than
 * RFC 6570, so a read is never let past a withheld template), literals in order. Linear, no regex
 * built from the server's text.
 */
export function templateCovers(template: string, uri: string): boolean {
  const literals = template.split(/\{[^{}]*\}/);
  if (literals.length === 1) return template === uri;
  const first = literals[0] as string;
  const last = literals[literals.length - 1] as string;
  if (!uri.startsWith(first) || uri.length < first.length + last.length || !uri.endsWith(last)) return false;
  let at = first.length;
  const end = uri.length - last.length;
  for (const lit of literals.slice(1, -1)) {
    if (lit === '') continue;
    const i = uri.indexOf(lit, at);
    if (i === -1 || i + lit.length > end) return false;
    at = i + lit.length;
  }
  return true;
}

interface Flagged {
  kind: ListingKind;
  key: string;
  problem: DefinitionProblem;
}

/** What a listing page became, for the caller to return once the record is written. */
export interface ScreenedPage {
  page: Item;
  /** False when the audit record could not be written: the caller refuses the listing. */
  recorded: boolean;
  /** Set when the listing itself is refused (the caller answers with this error). */
  refused?: string;
}

const registries = new WeakMap<Guard, Map<string, ListingVetter>>();

export class ListingVetter {
  private flagged = new Map<string, Flagged>();
  private withheld = new Set<string>();

  private constructor(
    private readonly guard: Guard,
    readonly server: string,
    readonly contentServer: string,
    private readonly base: RegisteredTool[],
  ) {}

  /** The one vetter of this guard and server (every HTTP session of a proxy shares it). */
  static for(guard: Guard, server: string, contentServer: string, base: RegisteredTool[]): ListingVetter {
    let byServer = registries.get(guard);
    if (!byServer) {
      byServer = new Map();
      registries.set(guard, byServer);
    }
    let v = byServer.get(server);
    if (!v) {
      v = new ListingVetter(guard, server, contentServer, base);
      byServer.set(server, v);
    }
    return v;
  }

  /** (Re)registers the content pseudo-server: its base tools plus one pseudo tool per flagged item. */
  register(): void {
    const pseudo = [...this.flagged].map(([name, f]) => ({
      server: this.contentServer,
      name,
      annotations: { readOnlyHint: true, openWorldHint: true },
      [PREJUDGED]: { problem: f.problem },
    }));
    const { blocked } = this.guard.registerTools(this.contentServer, [...this.base, ...pseudo]);
    this.withheld = new Set(blocked.filter((b) => b.withhold).map((b) => b.tool));
  }

  /**
   * Judges one page of a listing, registers what it flagged, records the decision and returns the
   * page as the client may see it (withheld items marked, or left out with `hide`). `nextCursor`
   * and every other field of the page pass unchanged.
   */
  async screen(
    kind: ListingKind,
    page: Item,
    record: (input: AuditRecordInput) => Promise<boolean>,
    blocked: 'mark' | 'hide',
  ): Promise<ScreenedPage> {
    const info = LISTING_KINDS[kind];
    const raw = page[info.items];
    const items = Array.isArray(raw) ? (raw as Item[]) : [];
    const names: string[] = [];
    const flaggedHere: string[] = [];
    for (const item of items) {
      const key = text(item?.[info.key]);
      if (key === undefined) continue;
      names.push(key);
      const pseudo = info.prefix + key;
      const problem = vetListing(kind, item, this.server);
      if (problem) {
        this.flagged.delete(pseudo); // re-inserted last: the newest judgement of an item wins
        this.flagged.set(pseudo, { kind, key, problem });
        flaggedHere.push(pseudo);
      } else this.flagged.delete(pseudo);
    }
    if (this.flagged.size > MAX_FLAGGED_ITEMS) {
      // The judgements of this page stay (its items stay withheld) but the listing is refused.
      this.register();
      const reason = `more than ${MAX_FLAGGED_ITEMS} listed items of ${this.server} were judged poisoned; the listing is refused`;
      const ok = await record({
        server: this.server,
        tool: '*',
        method: info.list,
        decision: 'deny',
        rule: 'poisoned',
        reason,
      });
      return { page: { [info.items]: [] }, recorded: ok, refused: reason };
    }
    this.register();
    const shown: Item[] = [];
    const withheldHere: string[] = [];
    for (const item of items) {
      const key = text(item?.[info.key]);
      if (key === undefined) {
        withheldHere.push('(an item without its identifier)');
        continue;
      }
      const pseudo = info.prefix + key;
      if (!this.withheld.has(pseudo)) {
        shown.push(item);
        continue;
      }
      withheldHere.push(`${shortKey(key)} (${this.flagged.get(pseudo)?.problem.detail ?? 'poisoned'})`);
      if (blocked === 'mark') shown.push(withheldItem(kind, key));
    }
    const served = flaggedHere.filter((p) => !this.withheld.has(p)).map((p) => shortKey(p));
    const ok = await record({
      server: this.server,
      tool: '*',
      method: info.list,
      decision: withheldHere.length > 0 ? 'transform' : 'allow',
      rule: withheldHere.length > 0 ? 'poisoned' : '',
      reason:
        withheldHere.length > 0
          ? `${names.length} ${info.noun}s listed; withheld: ${withheldHere.join('; ')}`
          : `${names.length} ${info.noun}s listed`,
      meta: {
        [info.items]: names.slice(0, 1000),
        // Judged poisoned but served, as the policy's `poisoned` setting asks (require-approval or off).
        ...(served.length > 0 ? { flagged: served.slice(0, 1000) } : {}),
      },
    });
    return { page: { ...page, [info.items]: shown }, recorded: ok };
  }

  /** The pseudo tool a prompts/get or resources/read of a flagged item is decided under, if any. */
  flaggedTarget(method: 'prompts/get' | 'resources/read', id: string): string | undefined {
    if (method === 'prompts/get') {
      const p = LISTING_KINDS.prompt.prefix + id;
      return this.flagged.has(p) ? p : undefined;
    }
    const exact = LISTING_KINDS.resource.prefix + id;
    if (this.flagged.has(exact)) return exact;
    for (const [name, f] of this.flagged) if (f.kind === 'template' && templateCovers(f.key, id)) return name;
    return undefined;
  }
}

/** A withheld item: its identifier only, with a notice in place of every text the server gave. */
function withheldItem(kind: ListingKind, key: string): Item {
  const meta = { portcullis: { blocked: true, withheld: true } };
  if (kind === 'prompt') return { name: key, description: WITHHELD_NOTICE, _meta: meta };
  // `name` is required; the identifier stands in for the server's (possibly poisoned) name.
  return { [LISTING_KINDS[kind].key]: key, name: key, description: WITHHELD_NOTICE, _meta: meta };
}
