// Every command registers itself here. Keep one line per command.
import type { Command } from '@commander-js/extra-typings';
import { registerScan } from './scan.js';

/** `setExit` raises the process exit code (the highest wins). */
export type SetExit = (code: number) => void;

export function registerCommands(program: Command, setExit: SetExit): void {
  registerScan(program, setExit);
}
