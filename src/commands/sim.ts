// virtyard's own commands for the simulation: `workload` and `clock`. `virtyard clock …`
// at the top level runs the same `clock` command, so the CLI and the TUI palette agree.

import type { WorkloadProfile } from '../../engine/api/types';
import { renderKeyValues } from '../virsh/table';
import { afterJson } from './domain-lifecycle';
import { DOMAIN_OPT } from './domain-query';
import { CommandError } from './errors';
import { lookupDomain } from './lookup';
import { str, strReq } from './parse';
import type { CommandContext, CommandDef } from './types';

export const PROFILES: readonly WorkloadProfile[] = ['idle', 'web', 'database', 'build', 'cpu-burn', 'bursty', 'diurnal'];

const workload: CommandDef = {
  name: 'workload',
  group: 'virtyard',
  summary: "set the simulated load profile of a domain's guest (virtyard)",
  description: [
    'virtyard addition: the guest generates CPU load, memory use and dirty pages',
    `following PROFILE, one of: ${PROFILES.join(', ')}.`,
  ],
  options: [DOMAIN_OPT, { name: 'profile', type: 'string', required: true, help: 'workload profile', complete: PROFILES }],
  run(ctx, args) {
    const ref = strReq(args, 'domain');
    const profile = strReq(args, 'profile');
    const d = lookupDomain(ctx.conn, ref);
    if (!(PROFILES as readonly string[]).includes(profile)) {
      throw CommandError.plain('VIR_ERR_INVALID_ARG', `invalid argument: unknown workload profile '${profile}' (expected one of ${PROFILES.join(', ')})`);
    }
    ctx.conn.setWorkload(d.uuid, profile as WorkloadProfile);
    ctx.emit({ ...afterJson(ctx, d, 'workload-set'), workload: profile }, `Domain '${ref}' workload set to ${profile}\n`);
  },
};

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30s", "5m", "2h", "1d", "500ms", "1h30m", "1.5h" → milliseconds. */
export function parseDuration(raw: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    consumed = re.lastIndex;
  }
  if (raw === '' || consumed !== raw.length) {
    throw CommandError.plain(
      'VIR_ERR_INVALID_ARG',
      `invalid argument: invalid duration '${raw}': use a number and a unit (ms, s, m, h, d), e.g. 30s, 5m, 1h30m`,
    );
  }
  return Math.round(total);
}

/** Virtual time as "2026-03-01 12:00:00 UTC" (the virtual clock, never the wall clock). */
export function formatVirtualTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function status(ctx: CommandContext): void {
  const c = ctx.conn.clock();
  const text = renderKeyValues(
    [
      ['Time:', formatVirtualTime(c.now)],
      ['State:', c.paused ? 'paused' : 'running'],
      ['Speed:', `${c.speed}x`],
      ['Seed:', String(c.seed)],
    ],
    15,
  );
  ctx.emit({ ...c, time: new Date(c.now).toISOString() }, text);
}

const ACTIONS = ['status', 'pause', 'resume', 'speed', 'advance'] as const;

const clock: CommandDef = {
  name: 'clock',
  group: 'virtyard',
  summary: 'show or control the virtual clock (virtyard)',
  description: [
    'virtyard addition: the simulated world runs on a virtual clock.',
    'clock status            show virtual time, speed and whether it runs',
    'clock pause | resume    stop or restart time (paused: nothing moves by itself)',
    'clock speed N           run N times faster than the wall clock (1..1000)',
    'clock advance DURATION  move time forward by DURATION (30s, 5m, 2h, 1d, 500ms)',
  ],
  options: [
    { name: 'action', type: 'string', required: true, help: 'status, pause, resume, speed or advance', complete: ACTIONS },
    { name: 'value', type: 'string', positional: true, help: 'the speed factor or the duration' },
  ],
  run(ctx, args) {
    const action = strReq(args, 'action');
    const value = str(args, 'value');
    const needs = (what: string) => {
      if (value === undefined) throw CommandError.plain('VIR_ERR_INVALID_ARG', `invalid argument: clock ${action} requires ${what}`);
      return value;
    };
    if (action !== 'speed' && action !== 'advance' && value !== undefined) {
      throw CommandError.plain('VIR_ERR_INVALID_ARG', `invalid argument: clock ${action} takes no value (got '${value}')`);
    }
    switch (action) {
      case 'status':
        return status(ctx);
      case 'pause':
        ctx.conn.pauseClock();
        return ctx.emit({ ...ctx.conn.clock(), action: 'paused' }, 'Clock paused\n');
      case 'resume':
        ctx.conn.resumeClock();
        return ctx.emit({ ...ctx.conn.clock(), action: 'resumed' }, 'Clock resumed\n');
      case 'speed': {
        const raw = needs('a speed factor (1..1000)');
        const speed = Number(raw);
        if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(speed)) {
          throw CommandError.plain('VIR_ERR_INVALID_ARG', `invalid argument: invalid clock speed '${raw}': expected a number from 1 to 1000`);
        }
        ctx.conn.setClockSpeed(speed);
        return ctx.emit({ ...ctx.conn.clock(), action: 'speed' }, `Clock speed set to ${speed}x\n`);
      }
      case 'advance': {
        const raw = needs('a duration such as 30s, 5m, 2h');
        const ms = parseDuration(raw);
        ctx.conn.advance(ms);
        const c = ctx.conn.clock();
        return ctx.emit({ ...c, action: 'advanced', advancedMs: ms }, `Clock advanced by ${raw} to ${formatVirtualTime(c.now)}\n`);
      }
      default:
        throw CommandError.plain(
          'VIR_ERR_INVALID_ARG',
          `invalid argument: unknown clock action '${action}' (expected ${ACTIONS.join(', ')})`,
        );
    }
  },
};

export const SIM_COMMANDS: CommandDef[] = [workload, clock];
