// `snapshot -l | -c | -a | -d`: internal snapshots. The date is the wall clock (as qemu-img),
// passed to the library, which itself never reads time.
import { parseArgs } from '../args';
import { ImgError, reason, usageError, type Io } from '../errors';
import { withImage } from '../open';
import { snapshotHeader, snapshotRow } from './snapshot-table';

type Action = { kind: 'l' } | { kind: 'c' | 'a' | 'd'; name: string };

export function snapshot(argv: string[], io: Io, now: () => number = Date.now): number {
  const p = parseArgs(argv, { short: 'la:c:d:f:hqU', long: { help: false, 'force-share': false } });
  let action: Action | undefined;
  let fmt: string | undefined;
  for (const [o, v] of p.opts) {
    if (o === 'f') fmt = v;
    if (o === 'l' || o === 'c' || o === 'a' || o === 'd') {
      if (action) throw usageError("Cannot mix '-l', '-a', '-c', '-d'");
      action = o === 'l' ? { kind: 'l' } : { kind: o, name: v };
    }
  }
  if (p.operands.length !== 1) throw usageError('Expecting one image file name');
  const file = p.operands[0];
  if (!action) return 0; // qemu-img does nothing without an action, successfully
  const act = action;
  return withImage(file, { format: fmt, readOnly: act.kind === 'l', io }, (img) => {
    if (act.kind === 'l') {
      const list = img.format === 'qcow2' ? img.listSnapshots() : [];
      if (list.length) io.stdout(['Snapshot list:', snapshotHeader(), ...list.map(snapshotRow)].join('\n') + '\n');
      return 0;
    }
    const what = { c: 'create', a: 'apply', d: 'delete' }[act.kind];
    if (img.format !== 'qcow2') throw new ImgError(`Could not ${what} snapshot '${act.name}': Operation not supported`);
    const exists = img.listSnapshots().some((s) => s.id === act.name || s.name === act.name);
    try {
      if (act.kind === 'c') {
        // As qemu-img: wall-clock date at microsecond precision, no VM clock, icount 0.
        const ms = now();
        const sec = Math.floor(ms / 1000);
        img.createSnapshot(act.name, { dateSec: sec, dateNsec: Math.floor((ms - sec * 1000) * 1000) * 1000, vmClockNsec: 0, icount: 0 });
      } else if (!exists) {
        throw new ImgError(
          act.kind === 'a'
            ? `Could not apply snapshot '${act.name}': Failed to load snapshot: No such file or directory`
            : `Could not delete snapshot '${act.name}': snapshot not found`,
        );
      } else if (act.kind === 'a') img.applySnapshot(act.name);
      else img.deleteSnapshot(act.name);
      img.flush();
    } catch (e) {
      if (e instanceof ImgError) throw e;
      throw new ImgError(`Could not ${what} snapshot '${act.name}': ${reason(e)}`);
    }
    return 0;
  });
}
