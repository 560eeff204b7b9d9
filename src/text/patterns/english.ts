// English phrasing families. Each is a general way of writing an instruction to a model (who is
// addressed, whether the reader's task is replaced, whether data or actions are demanded), never the
// wording of one benchmark template. Weights: >= 0.8 decides alone, 0.4-0.7 needs company, < 0.4 only
// supports a core signal.

import { ACTION_PATTERNS } from './english-actions.js';
import { INSTRUCTION_PATTERNS } from './english-instructions.js';
import { MARKER_PATTERNS } from './english-markers.js';
import type { SignalPattern } from './types.js';

export const ENGLISH: SignalPattern[] = [...INSTRUCTION_PATTERNS, ...ACTION_PATTERNS, ...MARKER_PATTERNS];
