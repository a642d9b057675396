// The compute dialogs as pure state: a workload picker (the 7 profiles), a vCPU pin form (vCPU
// number + cpulist) and a balloon form (size). Each builds ONE virsh command line
// (`workload D P`, `vcpupin D N LIST`, `setmem D SIZE`) after validating what the user typed;
// a bad field keeps the dialog open with the reason, and nothing runs.
import type { DomainInfo, HostInfo, WorkloadProfile } from '../../../engine/index';
import { formatKiB } from '../../format';
import { domainArg } from '../../keys/keymap';

export const WORKLOADS: readonly WorkloadProfile[] = ['idle', 'web', 'database', 'build', 'cpu-burn', 'bursty', 'diurnal'];

export const WORKLOAD_NOTES: Record<WorkloadProfile, string> = {
  idle: 'almost no CPU (under 4 %)',
  web: 'light, follows the day, first vCPU busiest',
  database: 'steady 30–65 %, vCPU 0 busiest',
  build: 'compile runs: 10 min flat out every 15 min',
  'cpu-burn': 'every vCPU 97–100 % (stress --cpu)',
  bursty: 'quiet; one 30 s slot in five bursts to 70–100 %',
  diurnal: 'follows the day: low at 04:00, peak at 15:00',
};

export type FormId = 'workload' | 'vcpupin' | 'setmem';

export type FormField =
  | { kind: 'choice'; label: string; options: readonly string[]; index: number }
  | { kind: 'text'; label: string; value: string };

export interface FormState {
  id: FormId;
  title: string;
  /** The domain as a command argument. */
  arg: string;
  /** Checks done before running (the engine checks again). */
  limits: { vcpus: number; pcpus: number; maxKiB: number };
  fields: FormField[];
  focus: number;
  /** One line of guidance under the fields. */
  help: string;
  error: string | null;
}

function limitsOf(d: DomainInfo, host: HostInfo | null) {
  return { vcpus: d.id === null ? d.vcpus.configMax : d.vcpus.max, pcpus: host?.pcpus ?? 0, maxKiB: d.id === null ? d.memory.configMaxKiB : d.memory.maxKiB };
}

export function workloadForm(d: DomainInfo, host: HostInfo | null): FormState {
  return {
    id: 'workload',
    title: `Workload of ${d.name} (now ${d.workload})`,
    arg: domainArg(d),
    limits: limitsOf(d, host),
    fields: [{ kind: 'choice', label: 'Profile', options: WORKLOADS, index: Math.max(0, WORKLOADS.indexOf(d.workload)) }],
    focus: 0,
    help: '↑/↓ or the first letter picks · Enter sets it · Esc cancels',
    error: null,
  };
}

export function pinForm(d: DomainInfo, host: HostInfo | null, pins: readonly string[]): FormState {
  const l = limitsOf(d, host);
  return {
    id: 'vcpupin',
    title: `Pin a vCPU of ${d.name} to pCPUs of ${d.host}`,
    arg: domainArg(d),
    limits: l,
    fields: [
      { kind: 'text', label: 'vCPU', value: '0' },
      { kind: 'text', label: 'pCPUs', value: pins[0] ?? '' },
    ],
    focus: 1,
    help: `vCPU 0–${l.vcpus - 1} · cpulist of pCPUs 0–${l.pcpus - 1}, e.g. 2-3 or 0-7,^4 (r = all) · Tab next field · Enter pins`,
    error: null,
  };
}

export function balloonForm(d: DomainInfo, host: HostInfo | null): FormState {
  const cur = d.id === null ? d.memory.configCurrentKiB : d.memory.currentKiB;
  const l = limitsOf(d, host);
  return {
    id: 'setmem',
    title: `Balloon memory of ${d.name} (now ${formatKiB(cur)}, max ${formatKiB(l.maxKiB)})`,
    arg: domainArg(d),
    limits: l,
    fields: [{ kind: 'text', label: 'Size', value: `${Math.round(cur / 1024)}M` }],
    focus: 0,
    help: 'a size like 1536M or 2G (plain numbers are KiB, as virsh) · Enter sets it · Esc cancels',
    error: null,
  };
}

function withField(f: FormState, i: number, field: FormField): FormState {
  const fields = f.fields.slice();
  fields[i] = field;
  return { ...f, fields, error: null };
}

/** Typed characters: into a text field; on a choice, jump to the next option with that initial. */
export function typeInto(f: FormState, text: string): FormState {
  const field = f.fields[f.focus];
  if (field.kind === 'text') return withField(f, f.focus, { ...field, value: field.value + text });
  const ch = text.slice(-1).toLowerCase();
  const n = field.options.length;
  for (let k = 1; k <= n; k++) {
    const i = (field.index + k) % n;
    if (field.options[i].startsWith(ch)) return withField(f, f.focus, { ...field, index: i });
  }
  return f;
}

export function backspace(f: FormState): FormState {
  const field = f.fields[f.focus];
  return field.kind === 'text' ? withField(f, f.focus, { ...field, value: field.value.slice(0, -1) }) : f;
}

/** ↑/↓: the option of a choice field, else the previous/next field. */
export function moveIn(f: FormState, dir: 1 | -1): FormState {
  const field = f.fields[f.focus];
  if (field.kind === 'choice') {
    const n = field.options.length;
    return withField(f, f.focus, { ...field, index: (field.index + dir + n) % n });
  }
  return nextField(f, dir);
}

export function nextField(f: FormState, dir: 1 | -1): FormState {
  const n = f.fields.length;
  return { ...f, focus: (f.focus + dir + n) % n };
}

const CPULIST = /^(r|\^?\d+(-\d+)?(,\^?\d+(-\d+)?)*)$/;
const SIZE = /^(\d+)(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?$/i;
const SCALE: Record<string, number> = { b: 1 / 1024, k: 1, kb: 1000 / 1024, kib: 1, m: 1024, mb: 1e6 / 1024, mib: 1024, g: 1024 ** 2, gb: 1e9 / 1024, gib: 1024 ** 2, t: 1024 ** 3, tb: 1e12 / 1024, tib: 1024 ** 3 };

/** A size as virsh's scaled integer (default KiB) → KiB, or null when it is not one. */
export function sizeKiB(text: string): number | null {
  const m = SIZE.exec(text.trim());
  if (!m) return null;
  return Math.floor(Number(m[1]) * SCALE[(m[2] ?? 'k').toLowerCase()]);
}

/** The highest pCPU a cpulist names (−1 for "r" or none). */
function highestCpu(list: string): number {
  if (list === 'r') return -1;
  return Math.max(-1, ...list.split(',').flatMap((p) => p.replace('^', '').split('-').map(Number)));
}

/** The command line the form runs, or the reason it cannot. */
export function formCommand(f: FormState): { line: string } | { error: string } {
  const text = (i: number) => (f.fields[i] as FormField & { kind: 'text' }).value.trim();
  switch (f.id) {
    case 'workload': {
      const c = f.fields[0] as FormField & { kind: 'choice' };
      return { line: `workload ${f.arg} ${c.options[c.index]}` };
    }
    case 'vcpupin': {
      const v = text(0);
      const list = text(1).replace(/\s+/g, '');
      if (!/^\d+$/.test(v) || Number(v) >= f.limits.vcpus) return { error: `vCPU '${v}' is not a vCPU of this domain (0–${f.limits.vcpus - 1})` };
      if (!CPULIST.test(list)) return { error: `'${list}' is not a cpulist (e.g. 2-3, 0-7,^4 or r)` };
      if (f.limits.pcpus > 0 && highestCpu(list) >= f.limits.pcpus) return { error: `cpulist '${list}' names pCPU ${highestCpu(list)}, the host has 0–${f.limits.pcpus - 1}` };
      return { line: `vcpupin ${f.arg} ${Number(v)} ${list}` };
    }
    case 'setmem': {
      const s = text(0).replace(/\s+/g, '');
      const kib = sizeKiB(s);
      if (kib === null) return { error: `'${s}' is not a size (e.g. 1536M, 2G)` };
      if (kib <= 0) return { error: 'the memory size must be more than zero' };
      if (f.limits.maxKiB > 0 && kib > f.limits.maxKiB) return { error: `${formatKiB(kib)} is above the maximum memory ${formatKiB(f.limits.maxKiB)} (setmaxmem first)` };
      return { line: `setmem ${f.arg} ${s}` };
    }
  }
}
