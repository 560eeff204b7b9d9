// The travel suite: a booking service (hotels, flights, restaurants with public reviews), the
// user's profile and bookings, e-mail and web search. Untrusted text arrives in reviews and in a
// search result's snippet.

import type { Suite } from '../../types.js';
import { type TravelState, travelInitialState, travelVectors } from './data.js';
import { travelInjectionTasks, travelUserTasks } from './tasks.js';
import { travelServer } from './tools.js';

export type { TravelState } from './data.js';

const travel: Suite<TravelState> = {
  name: 'travel',
  description:
    "Daniel Okafor's travel assistant: hotel, flight and restaurant search with public reviews, bookings charged to his card, his profile, e-mail and web search.",
  userName: 'Daniel Okafor',
  servers: [travelServer],
  vectors: travelVectors,
  initialState: travelInitialState,
  userTasks: travelUserTasks,
  injectionTasks: travelInjectionTasks,
};

export default travel;
