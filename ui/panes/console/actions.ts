// The console bindings' actions by id (merged into the controller's ACTIONS table).
import type { Controller } from '../../controller';

type Action = (c: Controller) => void;

export const CONSOLE_ACTIONS: Record<string, Action> = {
  'console.open': (c) => c.consoles.open('pane'),
  'console.openFull': (c) => c.consoles.open('full'),
  'console.openTiled': (c) => c.consoles.openTiled(),
  'console.detach': (c) => c.consoles.detach(),
  'console.scrollback': (c) => c.consoles.enterScrollback(),
  'console.nextTile': (c) => c.consoles.cycle(1),
  'console.prevTile': (c) => c.consoles.cycle(-1),
  'scrollback.live': (c) => c.consoles.live(),
  'scrollback.pageUp': (c) => c.consoles.scrollPage(-1),
  'scrollback.pageDown': (c) => c.consoles.scrollPage(1),
  'scrollback.up': (c) => c.consoles.scroll(-1),
  'scrollback.down': (c) => c.consoles.scroll(1),
  'scrollback.top': (c) => c.consoles.scrollTop(),
  'scrollback.search': (c) => c.consoles.searchStart(),
  'scrollback.next': (c) => c.consoles.searchNext(1),
  'scrollback.prev': (c) => c.consoles.searchNext(-1),
  'scrollback.full': (c) => c.consoles.toggleFull(),
  'scrollback.tiled': (c) => c.consoles.toggleTiled(),
  'scrollback.start': (c) => c.consoles.startDomain(),
  'search.run': (c) => c.consoles.searchRun(),
  'search.cancel': (c) => c.consoles.searchCancel(),
  'search.backspace': (c) => c.consoles.searchBackspace(),
};
