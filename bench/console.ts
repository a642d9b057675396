// Console benchmark: guest output → visible styled lines through the whole pipeline (ring,
// headless terminal, a styled frame read every 64 KiB as a pane would) against bare
// @xterm/headless writes of the same bytes at the same size, in the same run; and the memory a
// detached console costs (its ring only: no terminal exists while nobody watches).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import xterm from '@xterm/headless';
import { createSimulation } from '../engine/sim/index';
import type { FixtureDomain, FixtureWorld } from '../engine/sim/fixture/types';

const MiB = 1024 * 1024;
const CHUNK = 4096;
const FRAME_EVERY = 64 * 1024;
const TOTAL = 8 * MiB;

function world(n: number): FixtureWorld {
  const domains: FixtureDomain[] = Array.from({ length: n }, (_, i) => ({
    name: `g${i}`, host: 'h', type: 'hvm', os: 'debian12', vcpus: 2, maxVcpus: 2, memoryKiB: 1024 * 1024, maxMemoryKiB: 1024 * 1024,
    state: 'shut off', autostart: false, persistent: true, onPoweroff: 'destroy', onReboot: 'restart', onCrash: 'destroy', workload: 'idle',
    disks: [{ source: `p/g${i}.qcow2` }], nics: [{ network: 'default', type: 'network' }],
  }));
  return {
    seed: 1, start: Date.UTC(2026, 0, 1),
    hosts: [{ name: 'h', hypervisor: 'kvm', cpu: { model: 'Xeon', vendor: 'intel', sockets: 2, cores: 32, threads: 2, mhz: 2000, hvm: true }, memoryKiB: 4096 * 1024 * 1024, overcommit: 1, interfaces: ['eth0'] }],
    networks: [{ name: 'default', forward: 'nat', bridge: 'virbr0', ip: '192.168.0.1/16', dhcp: { start: '192.168.1.0', end: '192.168.250.255' }, hosts: [], autostart: true, active: true }],
    pools: [{ name: 'p', type: 'dir', host: 'h', target: '/p', capacityBytes: 2 ** 50, autostart: true, active: true, volumes: domains.map((d) => ({ name: `${d.name}.qcow2`, format: 'qcow2' as const, capacityBytes: 2 ** 34, allocationBytes: 2 ** 30 })) }],
    domains,
  };
}

/** Boot-log-like output: kernel stamps, systemd's coloured [  OK  ], some long lines. */
function corpus(bytes: number): string[] {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l =
      i % 3 === 0
        ? `[${(i / 100).toFixed(6).padStart(12)}] virtio_blk virtio0: [vda] 41943040 512-byte logical blocks (21.5 GB/20.0 GiB) #${i}\r\n`
        : i % 3 === 1
          ? `[\x1b[0;32m  OK  \x1b[0m] Started \x1b[0;1;39mservice-${i}.service\x1b[0m - Some Daemon number ${i}.\r\n`
          : `root@web-01:~# ls -l /var/log/${i}\r\n-rw-r--r-- 1 root root ${i * 37} Nov 22 10:00 syslog.${i}\r\n`;
    lines.push(l);
    size += l.length;
  }
  const text = lines.join('');
  const chunks: string[] = [];
  for (let o = 0; o < text.length; o += CHUNK) chunks.push(text.slice(o, o + CHUNK));
  return chunks;
}

function pipeline(chunks: string[], cols: number, rows: number): number {
  const sim = createSimulation(world(1), { uri: 'sim:///bench' });
  const c = sim.openConsole('g0', { cols, rows });
  const t0 = performance.now();
  let since = 0;
  for (const ch of chunks) {
    sim.injectConsoleOutput('g0', ch);
    since += ch.length;
    if (since >= FRAME_EVERY) {
      c.lines();
      since = 0;
    }
  }
  c.lines();
  const ms = performance.now() - t0;
  c.close();
  return ms;
}

function bare(chunks: string[], cols: number, rows: number): Promise<number> {
  const term = new xterm.Terminal({ cols, rows, scrollback: 1000, allowProposedApi: true, logLevel: 'off' });
  const t0 = performance.now();
  return new Promise((resolve) => {
    for (let i = 0; i < chunks.length - 1; i++) term.write(chunks[i]);
    term.write(chunks[chunks.length - 1], () => {
      const ms = performance.now() - t0;
      term.dispose();
      resolve(ms);
    });
  });
}

function gcFn(): () => void {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
}

export async function benchConsole(report: (line: string) => void): Promise<void> {
  const mb = (ms: number) => (TOTAL / MiB / (ms / 1000)).toFixed(1);
  for (const [cols, rows] of [[80, 24], [200, 60]] as const) {
    const chunks = corpus(TOTAL);
    // Warm both paths, then alternate best-of-3 so drift hits both alike.
    pipeline(chunks.slice(0, 200), cols, rows);
    await bare(chunks.slice(0, 200), cols, rows);
    let ours = Infinity;
    let theirs = Infinity;
    for (let r = 0; r < 3; r++) {
      theirs = Math.min(theirs, await bare(chunks, cols, rows));
      ours = Math.min(ours, pipeline(chunks, cols, rows));
    }
    report(`${cols}x${rows}: guest output → styled lines ${mb(ours)} MB/s vs bare @xterm/headless write ${mb(theirs)} MB/s = ${(theirs / ours).toFixed(2)}× (target ≥ 0.8×)`);
  }

  // Memory: N detached consoles (each with its boot log and login prompt), measured as what the
  // heap gives back when their state is dropped; then what an open console adds on top.
  const gc = gcFn();
  const N = 1000;
  const sim = createSimulation(world(N), { uri: 'sim:///bench' });
  for (let i = 0; i < N; i++) sim.startDomain(`g${i}`);
  sim.advance(20_000);
  let ring = 0;
  for (let i = 0; i < N; i++) ring += sim.consoleState(`g${i}`).recordedBytes;
  const persisted = JSON.stringify(sim.world.s.guest!.consoles).length;
  const open = Array.from({ length: 20 }, (_, i) => sim.openConsole(`g${i}`, { cols: 80, rows: 24 }));
  gc();
  const withOpen = process.memoryUsage().heapUsed;
  for (const c of open) c.close();
  gc();
  const detachedAll = process.memoryUsage().heapUsed;
  sim.world.s.guest!.consoles = {}; // the bench's world ends here
  gc();
  const none = process.memoryUsage().heapUsed;
  const perDetached = (detachedAll - none) / N;
  report(`detached console: ${(perDetached / 1024).toFixed(1)} KiB heap each, holding a ${(ring / N / 1024).toFixed(1)} KiB ring (${(perDetached / (ring / N)).toFixed(2)}× the ring; ${(persisted / N / 1024).toFixed(1)} KiB persisted; no terminal)`);
  report(`open console (80x24, 1000 lines scrollback, replayed): +${((withOpen - detachedAll) / open.length / 1024).toFixed(0)} KiB heap each while open`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchConsole((l) => console.log(l));
}
