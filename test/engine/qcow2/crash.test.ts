// Crash safety of plain writes: a writer process is SIGKILLed at an exact image syscall (after a
// torn, sector-aligned partial write in some runs) or from outside just after it acknowledged a
// flush. qemu-img check must then find no corruption (leaks are fine) and every write acknowledged
// by a completed flush must read back. Scenarios cover L2 allocation, refcount block and refcount
// table growth, v2 images and L2 cache eviction (crash-snapshots.test.ts: overwrites, resizes and
// snapshots). See crash-suite.ts for the environment knobs.
// Kill points are counted in syscalls or acknowledged flushes, never in wall time: an earlier
// version killed 0–250 ms after start and required half the runs to have flushed by then, which
// failed under CPU load (the whole suite on 2 cores) without any image being wrong.
import { crashSuite } from './crash-suite';

const MiB = 1 << 20;

crashSuite('qcow2 crash safety under SIGKILL: fresh writes', [
  { label: 'v3 512 B clusters', kind: 'seq', cs: 512, compat: '1.1', refcountBits: 16, size: 32 * MiB, ops: 300, every: 7, seed: 4242 },
  { label: 'v3 4 KiB clusters', kind: 'seq', cs: 4096, compat: '1.1', refcountBits: 16, size: 32 * MiB, ops: 300, every: 11, seed: 4243 },
  { label: 'v2', kind: 'seq', cs: 512, compat: '0.10', refcountBits: 16, size: 32 * MiB, ops: 300, every: 5, seed: 4244 },
  // 64-bit refcounts at 512 B clusters: a refcount block covers 32 KiB, the first table 2 MiB.
  { label: 'refcount table growth', kind: 'seq', cs: 512, compat: '1.1', refcountBits: 64, size: 32 * MiB, ops: 700, every: 9, seed: 4245 },
  { label: '4-table L2 cache (evictions)', kind: 'seq', cs: 512, compat: '1.1', refcountBits: 16, size: 32 * MiB, ops: 300, every: 20, seed: 4246, l2CacheSize: 2048 },
], 0);
