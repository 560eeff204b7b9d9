// The messaging suite: a company chat workspace (channels, DMs, members, invitations) plus a web
// browser with a form-post tool. Untrusted text arrives from a feed bot, an external partner in a
// shared channel, a recruiter's DM and three web pages.

import type { Suite } from '../../types.js';
import { type MessagingState, messagingInitialState, messagingVectors } from './data.js';
import { messagingInjectionTasks, messagingUserTasks } from './tasks.js';
import { messagingServer } from './tools.js';

export type { MessagingState } from './data.js';

const messaging: Suite<MessagingState> = {
  name: 'messaging',
  description:
    "Bluefin Analytics' chat workspace (channels with history, direct messages, guests from partner companies) and a web browser.",
  userName: 'Emma Lindqvist',
  servers: [messagingServer],
  vectors: messagingVectors,
  initialState: messagingInitialState,
  userTasks: messagingUserTasks,
  injectionTasks: messagingInjectionTasks,
};

export default messaging;
