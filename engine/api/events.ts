// The typed event stream. Every change to the world emits exactly one event; the UI store and
// persistence both subscribe. `message` is a one-line human summary for log panes.

interface EventBase {
  /** Monotonic sequence number, never reused within a world. */
  seq: number;
  /** Virtual epoch ms at which the change happened. */
  time: number;
  message: string;
}

/** libvirt's virDomainEventType, with the detail as virsh event prints it. */
export type DomainLifecycle =
  | 'defined'
  | 'undefined'
  | 'started'
  | 'suspended'
  | 'resumed'
  | 'stopped'
  | 'shutdown'
  | 'crashed';

export interface DomainLifecycleEvent extends EventBase {
  type: 'domain.lifecycle';
  domain: string;
  uuid: string;
  host: string;
  event: DomainLifecycle;
  /** e.g. "booted", "destroyed", "finished", "user" */
  detail: string;
}

export interface DomainChangedEvent extends EventBase {
  type: 'domain.changed';
  domain: string;
  uuid: string;
  host: string;
  /** what changed: "vcpus" | "memory" | "maxmemory" | "autostart" | "rename" | "workload" | ... */
  what: string;
}

export interface ClockEvent extends EventBase {
  type: 'clock';
  /** "advanced" is emitted once per advance call, however many ticks it covered. */
  what: 'paused' | 'resumed' | 'speed' | 'advanced';
}

export interface WorldEvent_ extends EventBase {
  type: 'world';
  what: 'loaded' | 'reloaded';
}

export type WorldEvent = DomainLifecycleEvent | DomainChangedEvent | ClockEvent | WorldEvent_;

/** A WorldEvent before the engine stamps seq and time on it. */
export type EventInput = WorldEvent extends infer E ? (E extends WorldEvent ? Omit<E, 'seq' | 'time'> : never) : never;

export type Unsubscribe = () => void;
export type EventListener = (event: WorldEvent) => void;
