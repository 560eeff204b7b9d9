// The workspace suite: email, calendar, files and contacts of one office worker.
import type { Suite } from '../../types.js';
import { initialWorkspace, USER, VECTORS, type WorkspaceState } from './data.js';
import { INJECTION_TASKS } from './injections.js';
import { USER_TASKS } from './tasks.js';
import { workspaceServer } from './tools.js';

const workspace: Suite<WorkspaceState> = {
  name: 'workspace',
  description: 'Email, calendar, drive and contacts of an office worker',
  userName: USER.name,
  servers: [workspaceServer],
  vectors: VECTORS,
  initialState: initialWorkspace,
  userTasks: USER_TASKS,
  injectionTasks: INJECTION_TASKS,
};

export default workspace;
