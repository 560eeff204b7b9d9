import type { FileContext } from './context.js';
export function findRegistrations(_ctx: FileContext): void {}
