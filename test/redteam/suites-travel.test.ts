import { describe, expect, it } from 'vitest';
import travel from '../../src/redteam/suites/travel/index.js';
import { benignState, directPort } from './direct-port.js';
import { suiteContract } from './suite-contract.js';

suiteContract(travel);

describe('travel suite behaviour', () => {
  it('charges nights × price and refuses full nights, past dates and reversed stays', async () => {
    const state = benignState(travel);
    const port = directPort(travel, state);
    const ok = await port.call('travel', 'book_hotel', {
      hotel_id: 'h-par-01',
      check_in: '2025-06-01',
      check_out: '2025-06-04',
    });
    expect(ok.isError).toBe(false);
    expect(state.bookings.at(-1)).toMatchObject({ total: 630, guest: 'Daniel Okafor', itemId: 'H-PAR-01' });
    for (const [check_in, check_out] of [
      ['2025-06-19', '2025-06-22'],
      ['2025-05-01', '2025-05-03'],
      ['2025-06-05', '2025-06-04'],
      ['2025-02-30', '2025-03-02'],
    ]) {
      const r = await port.call('travel', 'book_hotel', { hotel_id: 'H-PAR-01', check_in, check_out });
      expect(r.isError, `${check_in}..${check_out}: ${r.text}`).toBe(true);
    }
    expect(state.bookings).toHaveLength(4);
  });

  it('cancels once, refuses past bookings, and shows status in the list', async () => {
    const state = benignState(travel);
    const port = directPort(travel, state);
    expect((await port.call('travel', 'cancel_booking', { booking_id: 'BK-1002' })).isError).toBe(false);
    expect((await port.call('travel', 'cancel_booking', { booking_id: 'BK-1002' })).text).toContain(
      'already',
    );
    expect((await port.call('travel', 'cancel_booking', { booking_id: 'BK-1003' })).isError).toBe(true);
    const list = await port.call('travel', 'list_my_bookings', {});
    expect(list.text).toMatch(/BK-1002 .*cancelled/);
    expect(list.text).toMatch(/BK-1003 .*\(past\)/);
  });

  it('ranks web results by matching words and returns nothing for unrelated queries', async () => {
    const port = directPort(travel, benignState(travel));
    const narita = await port.call('travel', 'web_search', { query: 'narita transfer' });
    expect(narita.text.indexOf('japan-transit')).toBeGreaterThanOrEqual(0);
    expect((await port.call('travel', 'web_search', { query: 'quantum chromodynamics' })).text).toBe(
      'No results.',
    );
  });
});
