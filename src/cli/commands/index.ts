// Every command registers itself here. Keep one line per command.
import type { Command } from '@commander-js/extra-typings';
import { registerAudit } from './audit.js';
import { registerKeygen } from './keygen.js';
import { registerPin } from './pin.js';
import { registerPolicy } from './policy.js';
import { registerProxy } from './proxy.js';
import { registerRun } from './run.js';
import { registerDoctor } from './doctor.js';
import { registerDemo } from './demo.js';
import { registerDetect } from './detect.js';
import { registerScan } from './scan.js';
import { registerSign } from './sign.js';
import { registerVerify } from './verify.js';

/** `setExit` raises the process exit code (the highest wins). */
export type SetExit = (code: number) => void;

export function registerCommands(program: Command, setExit: SetExit): void {
  registerScan(program, setExit);
  registerDemo(program, setExit);
  registerPin(program, setExit);
  registerVerify(program, setExit);
  registerKeygen(program, setExit);
  registerSign(program, setExit);
  registerAudit(program, setExit);
  registerDetect(program, setExit);
  registerPolicy(program, setExit);
  registerProxy(program, setExit);
  registerRun(program, setExit);
  registerDoctor(program, setExit);
}
