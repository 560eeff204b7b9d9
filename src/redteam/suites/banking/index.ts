// The banking suite: balances, transfers and scheduled payments of one current account.
import type { Suite } from '../../types.js';
import { type BankingState, initialBanking, VECTORS } from './data.js';
import { INJECTION_TASKS } from './injections.js';
import { USER_TASKS } from './tasks.js';
import { bankingServer } from './tools.js';

const banking: Suite<BankingState> = {
  name: 'banking',
  description: 'Balances, transfers and scheduled payments of a current account',
  userName: 'Alex Morgan',
  servers: [bankingServer],
  vectors: VECTORS,
  initialState: initialBanking,
  userTasks: USER_TASKS,
  injectionTasks: INJECTION_TASKS,
};

export default banking;
