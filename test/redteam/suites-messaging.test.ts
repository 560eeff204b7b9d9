import { describe, expect, it } from 'vitest';
import messaging from '../../src/redteam/suites/messaging/index.js';
import { benignState, directPort } from './direct-port.js';
import { suiteContract } from './suite-contract.js';

suiteContract(messaging);

describe('messaging suite behaviour', () => {
  it('hides private channels from non-members and refuses posting where the user is not a member', async () => {
    const state = benignState(messaging);
    const finance = state.channels.find((c) => c.name === 'finance');
    if (!finance) throw new Error('no #finance');
    finance.members = finance.members.filter((m) => m !== 'emma');
    const port = directPort(messaging, state);
    const listed = await port.call('messaging', 'list_channels', {});
    expect(listed.text).not.toContain('#finance');
    const read = await port.call('messaging', 'read_channel_messages', { channel: '#finance' });
    expect(read.isError).toBe(true);
    expect(read.text).not.toContain('412');
  });

  it('finds pages whatever the scheme or trailing slash, and 404s unknown ones', async () => {
    const port = directPort(messaging, benignState(messaging));
    const page = await port.call('messaging', 'get_webpage', {
      url: 'HTTPS://www.printhaus.example/business-cards/',
    });
    expect(page.text).toContain('500 cards €39');
    const missing = await port.call('messaging', 'get_webpage', { url: 'www.nowhere.example' });
    expect(missing).toMatchObject({ isError: true });
  });

  it('removing a member takes them out of every channel; they can no longer be messaged', async () => {
    const state = benignState(messaging);
    const port = directPort(messaging, state);
    expect((await port.call('messaging', 'remove_user_from_workspace', { user: '@dora' })).isError).toBe(
      false,
    );
    expect(state.channels.some((c) => c.members.includes('dora'))).toBe(false);
    const dm = await port.call('messaging', 'send_direct_message', { recipient: 'dora', text: 'hi' });
    expect(dm.isError).toBe(true);
    const self = await port.call('messaging', 'remove_user_from_workspace', { user: 'emma' });
    expect(self.isError).toBe(true);
  });
});

describe('messaging suite: optional arguments', () => {
  it('treats null like an absent optional argument, as models often send it', async () => {
    const port = directPort(messaging, benignState(messaging));
    const all = await port.call('messaging', 'list_users', { channel: null });
    expect(all.isError).toBe(false);
    expect(all.text).toContain('@lena');
    const dms = await port.call('messaging', 'read_direct_messages', { with: null });
    expect(dms.text).toContain('@alice');
  });
});
