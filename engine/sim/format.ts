// Pure formatting helpers shared by the CLI and the TUI (exported through engine/index.ts).

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** virsh's size style: "%.2f" + binary unit, e.g. "100.00 GiB", "512.00 MiB", "0.00 B". */
export function formatBytes(bytes: number): string {
  let v = Math.max(0, bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(2)} ${UNITS[u]}`;
}

/** Same for a KiB figure (domain and host memory are kept in KiB, as libvirt does). */
export function formatKiB(kib: number): string {
  return formatBytes(kib * 1024);
}

/** Compact duration: "45s", "12m 5s", "3h 2m", "63d 17h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** virsh dominfo's "CPU time" figure: seconds with one decimal, e.g. "1234.5s". */
export function formatCpuTime(ns: number): string {
  return `${(Math.max(0, ns) / 1e9).toFixed(1)}s`;
}
