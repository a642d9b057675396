// The event bus: stamps seq and virtual time, keeps the bounded ring that recentEvents() reads
// (clock 'advanced' events are delivered but not kept: they would flood the log pane), and
// delivers to subscribers synchronously, in order.

import type { EventInput, EventListener, Unsubscribe, WorldEvent } from '../api/events';
import type { SimState } from './world/state';

export const EVENT_RING_SIZE = 500;

export class EventBus {
  private listeners = new Set<EventListener>();

  constructor(private state: () => SimState) {}

  subscribe(listener: EventListener): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(input: EventInput): WorldEvent {
    const s = this.state();
    const event = { ...input, seq: ++s.eventSeq, time: s.clock.now } as WorldEvent;
    if (!(event.type === 'clock' && event.what === 'advanced')) {
      s.events.push(event);
      if (s.events.length > EVENT_RING_SIZE) s.events.splice(0, s.events.length - EVENT_RING_SIZE);
    }
    for (const l of [...this.listeners]) {
      // A failing subscriber must not abort the engine mid-change or starve the others.
      try {
        l(event);
      } catch {
        /* subscriber bug: the world stays consistent */
      }
    }
    return event;
  }

  recent(limit?: number): WorldEvent[] {
    const ring = this.state().events;
    const n = limit === undefined ? ring.length : Math.max(0, Math.min(ring.length, Math.floor(limit)));
    return ring.slice(ring.length - n);
  }
}
