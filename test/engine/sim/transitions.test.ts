// Every (state, action) pair against the rules: the resulting state/reason or the exact error,
// exactly one event on success, nothing changed and no event on error.
import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../../engine/sim';
import { GiB, dom, sim } from './world';

type From = 'running' | 'paused' | 'in shutdown' | 'shut off' | 'crashed' | 'saved';
type Action = 'start' | 'shutdown' | 'destroy' | 'reboot' | 'reset' | 'suspend' | 'resume' | 'managedsave' | 'undefine' | 'setvcpus' | 'setmem' | 'rename';

function world(from: From): Simulation {
  const s = sim([
    dom('vm', 'kvm1', { state: from === 'shut off' ? 'shut off' : from === 'paused' ? 'paused' : 'running', onCrash: 'preserve' }),
  ]);
  if (from === 'in shutdown') s.shutdownDomain('vm');
  if (from === 'crashed') s.crashDomain('vm');
  if (from === 'saved') s.managedSave('vm');
  return s;
}

function act(s: Simulation, a: Action): void {
  switch (a) {
    case 'start': return s.startDomain('vm');
    case 'shutdown': return s.shutdownDomain('vm');
    case 'destroy': return s.destroyDomain('vm');
    case 'reboot': return s.rebootDomain('vm');
    case 'reset': return s.resetDomain('vm');
    case 'suspend': return s.suspendDomain('vm');
    case 'resume': return s.resumeDomain('vm');
    case 'managedsave': return s.managedSave('vm');
    case 'undefine': return s.undefineDomain('vm');
    case 'setvcpus': return s.setVcpus('vm', 3);
    case 'setmem': return s.setMemory('vm', GiB / 2);
    case 'rename': return s.renameDomain('vm', 'vm2');
  }
}

const NOT_RUNNING = 'Requested operation is not valid: domain is not running';
const ALREADY = 'Requested operation is not valid: domain is already running';
const E2 = "internal error: domain 'vm' not running";
const E3 = "internal error: domain 'vm' not paused";
const ACTIVE_RENAME = 'Requested operation is not valid: cannot rename active domain';

/** Expected: "state/reason" after the action, "gone", or "!error text". */
const TABLE: Record<Action, Record<From, string>> = {
  start: { running: '!' + ALREADY, paused: '!' + ALREADY, 'in shutdown': '!' + ALREADY, 'shut off': 'running/booted', crashed: '!' + ALREADY, saved: 'running/restored' },
  shutdown: { running: 'in shutdown/user', paused: '!' + NOT_RUNNING, 'in shutdown': '!' + NOT_RUNNING, 'shut off': '!' + E2, crashed: '!' + NOT_RUNNING, saved: '!' + E2 },
  destroy: { running: 'shut off/destroyed', paused: 'shut off/destroyed', 'in shutdown': 'shut off/destroyed', 'shut off': '!' + NOT_RUNNING, crashed: 'shut off/destroyed', saved: '!' + NOT_RUNNING },
  reboot: { running: 'running/booted', paused: 'paused/user', 'in shutdown': '!' + NOT_RUNNING, 'shut off': '!' + NOT_RUNNING, crashed: '!' + NOT_RUNNING, saved: '!' + NOT_RUNNING },
  reset: { running: 'running/booted', paused: 'paused/user', 'in shutdown': 'running/booted', 'shut off': '!' + NOT_RUNNING, crashed: 'paused/crashed', saved: '!' + NOT_RUNNING },
  suspend: { running: 'paused/user', paused: '!' + E2, 'in shutdown': '!' + E2, 'shut off': '!' + E2, crashed: '!' + E2, saved: '!' + E2 },
  resume: { running: '!' + E3, paused: 'running/unpaused', 'in shutdown': '!' + E3, 'shut off': '!' + E3, crashed: '!' + E3, saved: '!' + E3 },
  managedsave: { running: 'shut off/saved', paused: 'shut off/saved', 'in shutdown': '!' + NOT_RUNNING, 'shut off': '!' + NOT_RUNNING, crashed: '!' + NOT_RUNNING, saved: '!' + NOT_RUNNING },
  undefine: {
    running: 'running/booted', paused: 'paused/user', 'in shutdown': 'in shutdown/user', 'shut off': 'gone', crashed: 'crashed/panicked',
    saved: '!Requested operation is not valid: Refusing to undefine while domain managed save image exists',
  },
  setvcpus: { running: 'running/booted', paused: 'paused/user', 'in shutdown': 'in shutdown/user', 'shut off': '!' + NOT_RUNNING, crashed: 'crashed/panicked', saved: '!' + NOT_RUNNING },
  setmem: { running: 'running/booted', paused: 'paused/user', 'in shutdown': 'in shutdown/user', 'shut off': '!' + NOT_RUNNING, crashed: 'crashed/panicked', saved: '!' + NOT_RUNNING },
  rename: {
    running: '!' + ACTIVE_RENAME, paused: '!' + ACTIVE_RENAME, 'in shutdown': '!' + ACTIVE_RENAME, 'shut off': 'shut off/unknown', crashed: '!' + ACTIVE_RENAME,
    saved: "!Requested operation is not valid: domain with a managed saved state can't be renamed",
  },
};

const FROMS: From[] = ['running', 'paused', 'in shutdown', 'shut off', 'crashed', 'saved'];

describe('domain state × action', () => {
  it('each starting state is what it claims', () => {
    const got = FROMS.map((f) => {
      const d = world(f).lookupDomain('vm');
      return `${d.state}/${d.reason}${d.managedSave ? '+image' : ''}`;
    });
    expect(got).toEqual(['running/booted', 'paused/user', 'in shutdown/user', 'shut off/unknown', 'crashed/panicked', 'shut off/saved+image']);
  });

  for (const action of Object.keys(TABLE) as Action[]) {
    for (const from of FROMS) {
      const expected = TABLE[action][from];
      it(`${action} on ${from} → ${expected}`, () => {
        const s = world(from);
        const before = s.toState();
        const seen: string[] = [];
        s.subscribe((e) => seen.push(e.type));
        if (expected.startsWith('!')) {
          expect(() => act(s, action)).toThrow(expected.slice(1));
          try {
            act(s, action);
          } catch (e) {
            expect((e as Error).message).toBe(expected.slice(1));
          }
          expect(seen).toEqual([]);
          expect(s.toState()).toEqual(before);
          return;
        }
        act(s, action);
        expect(seen).toHaveLength(1);
        if (expected === 'gone') {
          expect(() => s.lookupDomain('vm')).toThrow("Domain not found: no domain with matching name 'vm'");
          return;
        }
        const d = s.lookupDomain(action === 'rename' ? 'vm2' : 'vm');
        expect(`${d.state}/${d.reason}`).toBe(expected);
        if (action === 'undefine') expect(d.persistent).toBe(false);
        if (action === 'setvcpus') expect(d.vcpus.current).toBe(3);
        if (action === 'setmem') expect(d.memory.currentKiB).toBe(GiB / 2);
        if (action === 'start' && from === 'saved') expect(d.managedSave).toBe(false);
        if (action === 'reboot' || (action === 'reset' && from !== 'crashed')) expect(d.id).toBe(1);
      });
    }
  }
});

describe('managed save keeps the run state (QEMU saves was_running in the image)', () => {
  it('a domain saved while paused starts paused; one saved while running starts running', () => {
    const s = sim([dom('p', 'kvm1', { state: 'paused' }), dom('r', 'kvm1', { state: 'running' })]);
    s.managedSave('p');
    s.managedSave('r');
    s.startDomain('p');
    s.startDomain('r');
    expect(s.lookupDomain('p')).toMatchObject({ state: 'paused', reason: 'user', managedSave: false });
    expect(s.lookupDomain('r')).toMatchObject({ state: 'running', reason: 'restored' });
    expect(s.recentEvents(2)[0]).toMatchObject({ type: 'domain.lifecycle', event: 'started', detail: 'restored', domain: 'p' });
    s.resumeDomain('p');
    expect(s.lookupDomain('p')).toMatchObject({ state: 'running', reason: 'unpaused' });
  });

  it('removing the image forgets it: the next start boots', () => {
    const s = sim([dom('p', 'kvm1', { state: 'paused' })]);
    s.managedSave('p');
    s.managedSaveRemove('p');
    s.startDomain('p');
    expect(s.lookupDomain('p')).toMatchObject({ state: 'running', reason: 'booted' });
  });
});
