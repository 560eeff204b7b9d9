// Every command registers itself here. Keep one line per command.
import type { Command } from '@commander-js/extra-typings';

/** `setExit` raises the process exit code (the highest wins). */
export type SetExit = (code: number) => void;

export function registerCommands(_program: Command, _setExit: SetExit): void {}
