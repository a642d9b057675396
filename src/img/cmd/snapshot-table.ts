// The snapshot table of `snapshot -l` and `info` (block/qapi.c bdrv_snapshot_dump).
import type { SnapshotInfo } from '../../../engine/qcow2/api';
import { sizeToStr } from '../size';

const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

export function snapshotHeader(): string {
  return pad('ID', 10) + pad('TAG', 17) + lpad('VM SIZE', 8) + lpad('DATE', 20) + lpad('VM CLOCK', 13) + lpad('ICOUNT', 11);
}

const two = (n: number) => String(n).padStart(2, '0');

/** Local time "YYYY-MM-DD HH:MM:SS", like g_date_time_new_from_unix_local. */
function localDate(sec: number): string {
  const d = new Date(sec * 1000);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function vmClock(nsec: number): string {
  const secs = Math.floor(nsec / 1e9);
  const ms = Math.floor(nsec / 1e6) % 1000;
  return `${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}.${String(ms).padStart(3, '0')}`;
}

export function snapshotRow(s: SnapshotInfo): string {
  const icount = s.icount === undefined || s.icount < 0 ? '' : String(s.icount);
  return (
    pad(s.id, 9) + ' ' + pad(s.name, 16) + ' ' + lpad(sizeToStr(s.vmStateSize), 8) +
    lpad(localDate(s.dateSec), 20) + lpad(vmClock(s.vmClockNsec), 13) + lpad(icount, 11)
  );
}
