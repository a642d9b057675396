// Crash safety of everything else: overwrites, zeroing, discards, grows past an L1 cluster (the L1
// moves), shrinks, and snapshot create/apply/delete, killed at exact syscalls or after an
// acknowledged flush. Besides crash.test.ts's checks, acknowledged snapshots must read back
// through QEMU, and COPIED may be found clear on a refcount-1 cluster only (the harmless window
// QEMU's own snapshot code leaves), never set on a shared one.
import { crashSuite } from './crash-suite';

const span512 = 512 * 64; // guest bytes one L2 table maps at 512-byte clusters

crashSuite('qcow2 crash safety under SIGKILL: overwrites, resizes, snapshots', [
  { label: 'v3', kind: 'mixed', cs: 512, compat: '1.1', refcountBits: 16, size: 40 * span512, ops: 70, every: 4, seed: 1 },
  { label: 'v3 1 KiB clusters 8-bit refcounts', kind: 'mixed', cs: 1024, compat: '1.1', refcountBits: 8, size: 6 * 1024 * 128, ops: 70, every: 3, seed: 2 },
  { label: 'v2', kind: 'mixed', cs: 512, compat: '0.10', refcountBits: 16, size: 40 * span512, ops: 70, every: 5, seed: 3 },
  { label: '4-table L2 cache (evictions)', kind: 'mixed', cs: 512, compat: '1.1', refcountBits: 16, size: 40 * span512, ops: 70, every: 6, seed: 4, l2CacheSize: 2048 },
], 100);
