// libvirt cpulists ("0-3,8,^2", virBitmapParse) and their normalised form (virBitmapFormat:
// ranges joined by commas, "0-7"). "r" is virsh's shorthand for every pCPU of the host.

import { VirError } from '../../api/errors';

const badList = (text: string) => VirError.of('VIR_ERR_INVALID_ARG', `Failed to parse bitmap '${text}'`);

/**
 * Parses a cpulist against a host of `maxcpu` pCPUs; returns the pCPUs ascending.
 * Errors: libvirt's "Failed to parse bitmap" for malformed text, virsh's "exceed the maxcpu" for range.
 */
export function parseCpulist(text: string, maxcpu: number): number[] {
  if (typeof text !== 'string') throw badList(String(text));
  if (text === 'r') return Array.from({ length: maxcpu }, (_, i) => i);
  const set = new Set<number>();
  const excluded = new Set<number>();
  const parts = text.split(',');
  if (text.trim() === '') throw badList(text);
  for (const raw of parts) {
    const part = raw.trim();
    const neg = part.startsWith('^');
    const body = neg ? part.slice(1) : part;
    const m = /^(\d+)(?:-(\d+))?$/.exec(body);
    if (!m) throw badList(text);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || (neg && m[2] !== undefined) || hi > 65535) throw badList(text);
    for (let c = lo; c <= hi; c++) (neg ? excluded : set).add(c);
  }
  for (const c of excluded) set.delete(c);
  if (set.size === 0) throw badList(text);
  const cpus = [...set].sort((a, b) => a - b);
  // virsh checks the highest pCPU of the parsed set against the host.
  const last = cpus[cpus.length - 1];
  if (last >= maxcpu) throw VirError.bare('VIR_ERR_INVALID_ARG', `CPU ${last} in cpulist '${text}' exceed the maxcpu ${maxcpu}`);
  return cpus;
}

/** virBitmapFormat: "0-3,8,10-11". */
export function formatCpulist(cpus: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < cpus.length; ) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === cpus[j] + 1) j++;
    out.push(j === i ? String(cpus[i]) : `${cpus[i]}-${cpus[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** Every pCPU of a host, as a cpulist. */
export function allCpus(maxcpu: number): string {
  return maxcpu === 1 ? '0' : `0-${maxcpu - 1}`;
}

/** A stored (normalised) cpulist back to pCPUs, clipped to the host (a pin may outlive a host change). */
const ALL = new Map<number, readonly number[]>();

/** Every pCPU 0..maxcpu-1 (a shared, frozen array: do not modify). */
export function everyCpu(maxcpu: number): readonly number[] {
  let a = ALL.get(maxcpu);
  if (!a) {
    a = Object.freeze(Array.from({ length: maxcpu }, (_, i) => i));
    ALL.set(maxcpu, a);
  }
  return a;
}

export function cpusOf(list: string | undefined, maxcpu: number): number[] {
  if (list === undefined) return Array.from({ length: maxcpu }, (_, i) => i);
  const out: number[] = [];
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let c = a; c <= (b ?? a) && c < maxcpu; c++) out.push(c);
  }
  return out.length ? out : Array.from({ length: maxcpu }, (_, i) => i);
}
