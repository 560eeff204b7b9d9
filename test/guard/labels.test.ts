import { describe, expect, it } from 'vitest';
import { inferLabels, nameWords } from '../../src/guard/index.js';

const labels = (name: string, extra: Record<string, unknown> = {}) =>
  inferLabels({ server: 's', name, ...extra });

describe('default labels', () => {
  it('splits names in every common style', () => {
    expect(nameWords('sendEmail')).toEqual(['send', 'email']);
    expect(nameWords('HTTPRequest_get-page.v2')).toEqual(['http', 'request', 'get', 'page', 'v2']);
  });

  it.each([
    ['send_email', [], ['external']],
    ['slack_post_message', [], ['external']],
    ['read_post', ['untrusted'], []],
    ['email_user', [], ['external']],
    ['post_message', [], ['external']],
    ['sendMoney', [], ['external']],
    ['delete_file', [], ['destructive']],
    ['drop_table', [], ['destructive']],
    ['run_command', [], ['execute']],
    ['exec', [], ['execute']],
    ['execute_python', [], ['execute']],
    ['read_email', ['private', 'untrusted'], []],
    ['read_file', ['private'], []],
    ['list_files', ['private'], []],
    ['fetch_url', ['untrusted'], ['external']],
    ['get_web_page', ['untrusted'], ['external']],
    ['get_weather', ['untrusted'], []],
    ['search_issues', ['untrusted'], []],
  ])('%s → source %j, sink %j', (name, source, sink) => {
    expect(labels(name)).toEqual({ source, sink });
  });

  it('leaves honest utility tools unlabelled (no false alarms)', () => {
    for (const name of [
      'add',
      'calculate_tax',
      'format_date',
      'get_time',
      'convert_units',
      'translate',
      'echo',
      'read_message_count',
    ]) {
      const l = labels(name);
      expect(l.sink, name).not.toContain('destructive');
      expect(l.sink, name).not.toContain('execute');
    }
    expect(labels('run_tests').sink).toEqual([]);
  });

  it('uses the description only when the name has no verb', () => {
    expect(labels('mailer', { description: 'Sends a message to a recipient.' }).sink).toEqual(['external']);
    expect(labels('read_notes', { description: 'Deletes nothing; reads notes.' }).sink).toEqual([]);
  });

  it('adds labels from annotations and scanner capabilities, never removes them', () => {
    expect(labels('tidy', { annotations: { destructiveHint: true } }).sink).toEqual(['destructive']);
    expect(labels('tidy', { annotations: { destructiveHint: true, readOnlyHint: true } }).sink).toEqual([]);
    expect(labels('lookup', { annotations: { readOnlyHint: true, openWorldHint: true } })).toEqual({
      source: ['untrusted'],
      sink: [],
    });
    expect(labels('delete_all', { annotations: { readOnlyHint: true } }).sink).toEqual(['destructive']);
    expect(labels('helper', { capabilities: ['network', 'process'] })).toEqual({
      source: ['untrusted'],
      sink: ['execute', 'external'],
    });
    expect(labels('helper', { capabilities: ['secret'] }).source).toEqual(['private']);
  });
});
