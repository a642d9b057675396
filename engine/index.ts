// The engine's public face: the only module ui/ may import. Types, errors and pure helpers;
// the simulation itself is constructed by src/ through engine/sim.
export type * from './api/types';
export type * from './api/events';
export type { Connection } from './api/connection';
export { VirError, isVirError, type ErrorCode } from './api/errors';
export { formatBytes, formatKiB, formatDuration, formatCpuTime } from './sim/format';
export type { ConsoleSession, ConsoleOpenOptions, ConsoleMatch } from './api/console';
// Serial consoles: keys → the bytes a terminal sends (Ctrl+] = DETACH is the caller's to handle).
export { encodeKey, DETACH, type KeySpec, type KeyName, type KeyModes } from './sim/console/keys';
