// React access to the controller (UI state) and the store (world snapshot). Each hook takes a
// selector, so a pane re-renders only when its slice changes.
import React, { createContext, useContext, useSyncExternalStore } from 'react';
import type { Controller } from './controller';
import type { UiState } from './state';
import type { Snapshot } from './store/store';

const ControllerContext = createContext<Controller | null>(null);

export function ControllerProvider({ controller, children }: { controller: Controller; children: React.ReactNode }) {
  return <ControllerContext.Provider value={controller}>{children}</ControllerContext.Provider>;
}

export function useController(): Controller {
  const c = useContext(ControllerContext);
  if (!c) throw new Error('useController outside <ControllerProvider>');
  return c;
}

/** A slice of the world snapshot (`useConnection(selector)` in the architecture notes). */
export function useSnapshot<T>(selector: (s: Snapshot) => T): T {
  const store = useController().store;
  return useSyncExternalStore(store.subscribe, () => selector(store.getSnapshot()));
}

export function useUi<T>(selector: (s: UiState) => T): T {
  const c = useController();
  return useSyncExternalStore(c.subscribe, () => selector(c.getState()));
}
