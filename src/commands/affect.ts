// virsh's --config/--live/--current options, shared by every command that can act on the
// running domain, its persistent config, or both.

import { CommandError } from './errors';
import { flag } from './parse';
import type { OptDef, ParsedArgs } from './types';

export const AFFECT: OptDef[] = [
  { name: 'config', type: 'bool', help: 'affect next boot' },
  { name: 'live', type: 'bool', help: 'affect running domain' },
  { name: 'current', type: 'bool', help: 'affect current domain' },
];

export function exclusive(args: ParsedArgs, a: string, b: string): void {
  if (flag(args, a) && flag(args, b)) {
    throw CommandError.plain('VIR_ERR_INVALID_ARG', `Options --${a} and --${b} are mutually exclusive`);
  }
}

/** virsh's checks of --live/--config/--current, made before the domain is looked up. */
export function checkAffect(args: ParsedArgs): void {
  exclusive(args, 'current', 'live');
  exclusive(args, 'current', 'config');
}
