import { describe, expect, it } from 'vitest';
import type { Claim } from '../../../src/core/types.js';
import { extractClaims, identifierWords, MAX_CLAIM_TEXT, tokenize } from '../../../src/scan/claims.js';

function claims(description: string, name = 'tool'): Claim[] {
  return extractClaims({ name, description, parameters: [] });
}

/** `polarity capability` pairs of the description's strong claims, for compact assertions. */
function summary(description: string, name = 'tool'): string[] {
  return claims(description, name)
    .filter((c) => c.source === 'description' && !c.weak)
    .map((c) => `${c.polarity} ${c.capability}`);
}

const denies = (d: string, cap: string) => summary(d).includes(`denies ${cap}`);
const positive = (d: string, cap: string) =>
  summary(d).some((s) => s === `affirms ${cap}` || s === `implies ${cap}`);

describe('affirmations', () => {
  it.each([
    ['Sends an email to the recipient.', 'network'],
    ['Fetches the URL and returns the body.', 'network'],
    ['Uploads the file to the bucket.', 'network'],
    ['Posts to Slack.', 'network'],
    ['Runs the command in a shell.', 'process'],
    ['Executes the given shell command.', 'process'],
    ['Deletes the file.', 'file.delete'],
    ['Writes to the log file.', 'file.write'],
    ['Saves the document.', 'persist'],
    ['Reads the file.', 'file.read'],
    ['Evaluates a Python expression.', 'dynamic-code'],
    ['Reads environment variables.', 'env'],
  ])('%s → affirms %s', (d, cap) => {
    expect(summary(d)).toContain(`affirms ${cap}`);
  });
});

describe('denials', () => {
  it.each([
    ['Read-only access to your notes.', 'mutation'],
    ['This tool is READ ONLY.', 'mutation'],
    ['Readonly.', 'mutation'],
    ['Does not modify anything.', 'mutation'],
    ["Doesn't modify the file.", 'mutation'],
    ['Doesn\u2019t change your data.', 'mutation'],
    ['Dry run: shows what would change.', 'mutation'],
    ['Pure function with no side effects.', 'mutation'],
    ['Works offline.', 'network'],
    ['Spell checker. Offline.', 'network'],
    ['Offline and private.', 'network'],
    ['Never modifies your files.', 'mutation'],
    ['Local only.', 'network'],
    ['Runs fully local.', 'network'],
    ['No network access.', 'network'],
    ['Makes no network requests.', 'network'],
    ['Does not send data anywhere.', 'network'],
    ['Your data never leaves your machine.', 'network'],
    ['Works without network access.', 'network'],
    ['No data is ever sent.', 'network'],
    ['Does not store your password.', 'persist'],
    ['Nothing is stored.', 'persist'],
    ['No files are written.', 'file.write'],
    ['Never deletes anything.', 'file.delete'],
    ['It does not run any shell commands.', 'process'],
    ['Never executes code.', 'process'],
    ['Does not read environment variables.', 'env'],
  ])('%s → denies %s', (d, cap) => {
    expect(summary(d)).toContain(`denies ${cap}`);
  });

  it('a negated write or delete denies that, not mutation in general', () => {
    expect(summary('Environments are stopped, not deleted.')).toEqual(['denies file.delete']);
    expect(summary('No files are written.')).toEqual(['denies file.write']);
  });

  it('lists carry the negation: "does not read, write, or delete files"', () => {
    const s = summary('Does not write, modify, or delete files.');
    expect(s).toEqual(expect.arrayContaining(['denies file.write', 'denies mutation', 'denies file.delete']));
  });

  it('records the exact span, negator included', () => {
    const d = 'Checks spelling. Your text never leaves your machine.';
    const c = claims(d).find((x) => x.polarity === 'denies' && x.capability === 'network')!;
    expect(c.text).toBe('never leaves your machine');
    expect(d.slice(c.start, c.end)).toBe(c.text);
    expect(c.source).toBe('description');
  });

  it('keeps spans in the original text through NFKC and zero-width characters', () => {
    const d = 'Ｗｏｒｋｓ ＯＦＦＬＩＮＥ. Re\u200bad-only.';
    const cs = claims(d).filter((c) => c.polarity === 'denies');
    expect(cs.map((c) => c.capability).sort()).toEqual(['mutation', 'network']);
    for (const c of cs) expect(d.slice(c.start, c.end)).toBe(c.text);
  });

  it('safety assurances are weak denials', () => {
    const cs = claims('Removes dangerous chars. Safe for file paths.');
    const weak = cs.filter((c) => c.weak);
    expect(weak.map((c) => c.capability).sort()).toEqual(['mutation', 'network']);
    expect(weak[0]!.text).toBe('Safe for file paths');
    expect(cs.some((c) => c.polarity === 'denies' && !c.weak)).toBe(false);
  });

  it('"no third parties" is a weak denial', () => {
    const c = claims('Shares nothing with third parties.').filter((x) => x.polarity === 'denies');
    expect(c.every((x) => x.weak)).toBe(true);
  });
});

describe('hard negatives: no denial where none is made', () => {
  it.each([
    'IMPORTANT: paths must be absolute.',
    'No API key needed.',
    'No API key required; fetches the forecast.',
    'Does not require authentication and fetches the page.',
    'If the file does not exist, creates it.',
    'Returns an error if the path is not found.',
    'When dry_run is true, no files are written.',
    'Supports a dry run mode.',
    'Optionally performs a dry run.',
    'Make the given file read-only.',
    'Check whether a file is read-only.',
    'Pure Python implementation of diff.',
    'Does not run in the background.',
    'Not only reads but also writes the file.',
    'No password needed.',
    'No telemetry.',
    'Works on any file, no matter the size.',
    'No results are returned when nothing matches.',
    'Schedules deletion; dry_run defaults to true.',
    'Add risky commands you never want executed by mistake.',
    'Do not register the download_figma_images tool.',
    'Do not use this tool to delete files.',
    "Don't send secrets to this tool.",
    'IMPORTANT: never use this to write system files.',
    'Please do not store passwords here.',
    'Requests offline access to the Google account.',
    'Get offline conversion data for a campaign.',
  ])('%s', (d) => {
    expect(summary(d).filter((s) => s.startsWith('denies'))).toEqual([]);
  });

  it('"Reads a file. Does not modify it." affirms reading and denies mutation only', () => {
    const s = summary('Reads a file. Does not modify it.');
    expect(s).toContain('affirms file.read');
    expect(s).toContain('denies mutation');
    expect(s).not.toContain('denies file.read');
    expect(s).not.toContain('denies network');
  });
});

describe('affirmations inside negations and exceptions', () => {
  it('"Sends no data to third parties except the weather service" affirms network', () => {
    const s = summary('Sends no data to third parties except the weather service.');
    expect(s).toContain('affirms network');
    expect(s).toContain('implies network');
    expect(s).not.toContain('denies network');
  });

  it('"Never deletes files without asking" affirms deletion', () => {
    const s = summary('Never deletes files without asking first.');
    expect(s).toContain('affirms file.delete');
    expect(s).not.toContain('denies file.delete');
  });

  it('"is not read-only" affirms mutation', () => {
    expect(summary('This tool is not read-only.')).toContain('affirms mutation');
  });

  it('double negation: "cannot work without network access" affirms network', () => {
    const s = summary('Cannot work without network access.');
    expect(s).toContain('affirms network');
    expect(s).not.toContain('denies network');
  });

  it('a breaker ends the negation: "does not cache results and sends them"', () => {
    const s = summary('Does not cache results and sends them to the server.');
    expect(s).toContain('denies persist');
    expect(s).toContain('affirms network');
  });

  it('"Works offline except for license checks" drops the denial', () => {
    expect(denies('Works offline except for license checks.', 'network')).toBe(false);
  });
});

describe('implications by domain', () => {
  it.each([
    ['Get the current weather for a city.', 'network'],
    ['Search the web.', 'network'],
    ['Get stock prices.', 'network'],
    ['Create a GitHub issue.', 'network'],
    ['List Jira tickets.', 'network'],
    ['Charge a card with Stripe.', 'network'],
    ['Ask OpenAI.', 'network'],
    ['Calls the webhook.', 'network'],
    ['Query the Postgres database.', 'network'],
    ['Show git status.', 'process'],
    ['Build the docker image.', 'process'],
    ['List the directory.', 'file.read'],
    ['Calculate a math expression.', 'dynamic-code'],
    ['Get the price of Bitcoin.', 'network'],
    ['List my calendar events.', 'network'],
    ['Create a ticket in the help desk.', 'network'],
    ['Check the status of a deployment.', 'network'],
  ])('%s → %s', (d, cap) => {
    expect(positive(d, cap)).toBe(true);
  });

  it('"search files" is not the web', () => {
    expect(positive('Search files for a pattern.', 'network')).toBe(false);
  });

  it('domain words under a negator imply nothing and deny nothing', () => {
    const s = summary('No weather data involved.');
    expect(s).toEqual([]);
  });

  it('the tool name implies (never denies) what it names', () => {
    const cs = claims('Does the thing.', 'slack_post_message').filter((c) => c.source === 'name');
    expect(cs.map((c) => `${c.polarity} ${c.capability}`)).toContain('implies network');
    expect(cs.every((c) => c.polarity === 'implies')).toBe(true);
    const c = cs.find((x) => x.text === 'slack')!;
    expect('slack_post_message'.slice(c.start, c.end)).toBe('slack');
  });

  it('camelCase names split into words', () => {
    expect(identifierWords('getWeatherForecast').map((t) => t.w)).toEqual(['get', 'weather', 'forecast']);
    expect(identifierWords('HTTPServer_v2').map((t) => t.w)).toEqual(['http', 'server', 'v2']);
  });
});

describe('claims are unique', () => {
  it('one claim per words, polarity and capability', () => {
    const cs = claims('Post a tweet. Search the web for weather news.');
    const keys = cs.map((c) => `${c.source}:${c.start}:${c.end}:${c.polarity}:${c.capability}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('parameter descriptions', () => {
  it('each parameter description yields claims tagged with its source', () => {
    const cs = extractClaims({
      name: 'edit',
      description: 'Edit a file.',
      parameters: [{ name: 'dryRun', description: 'Preview changes only (dry run).' }],
    });
    const p = cs.filter((c) => c.source === 'param:dryRun');
    expect(p.map((c) => `${c.polarity} ${c.capability}`)).toContain('denies mutation');
    const c = p.find((x) => x.polarity === 'denies')!;
    expect('Preview changes only (dry run).'.slice(c.start, c.end)).toBe(c.text);
  });
});

describe('hostile input', () => {
  it('tokenises in linear time and caps the text', () => {
    const big = `${'does not '.repeat(200_000)}send`;
    const t0 = Date.now();
    const cs = claims(big);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(Array.isArray(cs)).toBe(true);
    const toks = tokenize('x'.repeat(MAX_CLAIM_TEXT * 3));
    expect(toks.length).toBe(1);
    expect(toks[0]!.end).toBeLessThanOrEqual(MAX_CLAIM_TEXT);
  });

  it('survives odd Unicode (lone surrogates, combining marks, RTL overrides)', () => {
    expect(() => claims('\ud800 re\u0301ad\u202e-only \u0000 \uffff')).not.toThrow();
  });

  it('empty and missing texts give no claims', () => {
    expect(extractClaims({ name: '', description: '', parameters: [] })).toEqual([]);
  });
});

describe('how a tool runs is not what it runs; denials beat domain implications', () => {
  it('"Runs entirely offline on your device" denies the network and runs nothing', () => {
    const d = 'Translate text between languages. Runs entirely offline on your device.';
    expect(summary(d)).toEqual(['denies network']);
  });
  it.each(['Runs in the browser.', 'Runs locally and fast.', 'Runs.', 'Launches on startup.'])(
    '%s → no process claim',
    (d) => {
      expect(positive(d, 'process')).toBe(false);
    },
  );
  it.each(['Runs the test suite.', 'Run a shell command.', 'Launches the browser.'])(
    '%s → still affirms a process',
    (d) => {
      expect(positive(d, 'process')).toBe(true);
    },
  );
  it('translation implies no network by itself (many translators are local)', () => {
    expect(positive('Translate text between languages.', 'network')).toBe(false);
  });
  it('an explicit denial drops the implication from the name and description', () => {
    const c = extractClaims({
      name: 'get_weather',
      description: 'Weather forecast from the cached bundle. Works offline.',
      parameters: [],
    });
    expect(c.some((x) => x.capability === 'network' && x.polarity !== 'denies')).toBe(false);
    expect(c.some((x) => x.capability === 'network' && x.polarity === 'denies')).toBe(true);
  });
  it('a weak assurance does not drop implications', () => {
    expect(positive('Weather forecast. Privacy first.', 'network')).toBe(true);
  });
  it.each([
    ['Works completely offline.', 'network'],
    ['Runs offline in your browser.', 'network'],
    ['Fully functional offline on any machine.', 'network'],
  ])('%s → denies %s', (d, cap) => {
    expect(denies(d, cap)).toBe(true);
  });
  it('"offline access" (an OAuth scope) is still no denial', () => {
    expect(denies('Requests offline access to your calendar.', 'network')).toBe(false);
  });
});

describe('adjectives that qualify something else deny nothing', () => {
  it.each([
    ['Run stateless Node.js code on the server.', false],
    ['Starts ephemeral containers.', false],
    ['Stateless.', true],
    ['A stateless tool: nothing is kept.', true],
    ['Stateless and fast.', true],
  ])('%s → denies persist: %s', (d, expected) => {
    expect(denies(d, 'persist')).toBe(expected);
  });
});

describe('claims in other languages', () => {
  it.each([
    ['Herramienta de solo lectura.', 'mutation'],
    ['Funciona sin conexión.', 'network'],
    ['No envía datos a terceros.', 'network'],
    ['No modifica ningún archivo.', 'mutation'],
    ['Schreibgeschützt.', 'mutation'],
    ['Nur lesen: zeigt die Konfiguration.', 'mutation'],
    ['Sendet keine Daten.', 'network'],
    ['Funktioniert ohne Internet.', 'network'],
    ['Verändert nichts.', 'mutation'],
    ['Outil en lecture seule.', 'mutation'],
    ["N'envoie pas de données.", 'network'],
    ['Fonctionne hors ligne.', 'network'],
    ['只读工具。', 'mutation'],
    ['不联网。', 'network'],
    ['不会发送任何数据。', 'network'],
    ['Только чтение.', 'mutation'],
    ['Работает без сети.', 'network'],
    ['Не отправляет данные.', 'network'],
  ])('%s → denies %s', (d, cap) => {
    expect(denies(d, cap)).toBe(true);
  });

  it.each([
    ['Löscht die Datei.', 'file.delete'],
    ['Supprime le fichier.', 'file.delete'],
    ['Elimina el archivo.', 'file.delete'],
    ['删除文件。', 'file.delete'],
    ['Удаляет файл.', 'file.delete'],
    ['Sendet die Nachricht.', 'network'],
  ])('%s → affirms %s', (d, cap) => {
    expect(summary(d)).toContain(`affirms ${cap}`);
  });

  it('negative concord reinforces instead of cancelling ("ne … pas", "no … ningún")', () => {
    expect(denies('Ne modifie pas les fichiers.', 'mutation')).toBe(true);
    expect(summary('No realiza ninguna modificación.')).not.toContain('affirms mutation');
  });

  it('a conjunction ends the reach of a negation', () => {
    expect(summary("N'a pas besoin de clé et envoie le rapport.")).toContain('affirms network');
  });

  it('Chinese words that merely contain a negator are not negations', () => {
    expect(summary('不断发送数据。')).toContain('affirms network');
  });

  it('an unrelated word does not take a post-posed negator ("Die Datei nicht gefunden")', () => {
    expect(summary('Datei nicht gefunden.')).toEqual([]);
  });
});

describe('partial objects of a negated verb', () => {
  it('"without sending the full description" denies only the whole: nothing is denied', () => {
    const d = 'Applies a patch, allowing small changes without sending the full description.';
    expect(denies(d, 'network')).toBe(false);
  });
  it('"without sending any data" still denies the network', () => {
    expect(denies('Formats text locally without sending any data.', 'network')).toBe(true);
  });
});
