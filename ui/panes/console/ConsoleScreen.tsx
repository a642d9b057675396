// The console area: one console (pane or full screen) or up to four tiled, each a bordered pane
// whose title says whose console it is, whether it is attached, and how to get out (Ctrl+]).
// Lines come from the engine's session as styled runs; re-rendered on guest output (the
// manager's version) and on world changes (a domain stopping changes the title).
import { Box, Text, useStdin } from 'ink';
import React, { useEffect, useSyncExternalStore } from 'react';
import { useController, useSnapshot, useUi } from '../../context';
import type { Controller } from '../../controller';
import { color } from '../../theme';
import { type Mark, StyledLines } from '../../widgets/StyledLines';
import { Pane } from '../../widgets/Pane';
import { type ConsoleSlot, type Tile, consoleTitle, tiles, visibleSlots } from './model';
import { viewportTop } from './search';

/**
 * Raw input for an open console. Registered first on Ink's input emitter, so it sees each event
 * before useInput's handler; when a console is open it handles the event and the controller
 * ignores Ink's parsed copy (which has lost F-keys and modifiers on named keys).
 */
export function useConsoleKeys(c: Controller): void {
  const { internal_eventEmitter: events } = useStdin();
  useEffect(() => {
    if (!events) return;
    const onInput = (data: string) => {
      c.consoles.handleRaw(data);
    };
    events.prependListener('input', onInput);
    return () => {
      events.removeListener('input', onInput);
    };
  }, [events, c]);
}

/** Search hits on screen (every occurrence of the term; the current match brighter) and the cursor. */
function marksFor(c: Controller, slot: ConsoleSlot, focused: boolean): Mark[] {
  const s = c.consoles.session(slot.domain);
  if (!s) return [];
  const marks: Mark[] = [];
  const search = slot.search;
  if (search && search.match && slot.mode !== 'live') {
    const top = viewportTop(s);
    const term = search.term.toLowerCase();
    s.lines().forEach((line, row) => {
      const text = line.runs.map((r) => r.text).join('').toLowerCase();
      for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + term.length)) {
        const current = top + row === search.match!.line && i === search.match!.col;
        marks.push({ row, col: i, length: term.length, kind: current ? 'current' : 'match' });
      }
    });
  }
  if (slot.mode === 'search') {
    return marks; // the search line covers the last row; no cursor in the guest's screen
  }
  const cur = focused && slot.mode === 'live' && s.state().running ? s.cursor() : null;
  if (cur) marks.push({ row: cur.row, col: cur.col, length: 1, kind: 'cursor' });
  return marks;
}

function ConsoleTile({ slot, tile, focused, tiled }: { slot: ConsoleSlot; tile: Tile; focused: boolean; tiled: boolean }) {
  const c = useController();
  const s = c.consoles.session(slot.domain);
  const rows = Math.max(1, tile.height - 2);
  const st = s?.state();
  const exists = !!st?.domain;
  const state = useSnapshot((snap) => snap.domains.find((d) => d.name === slot.domain && !d.isDom0)?.state);
  const title = consoleTitle(
    {
      domain: slot.domain,
      device: st?.device ?? '',
      running: !!st?.running,
      state,
      exists,
      mode: slot.mode,
      offset: s?.scrollOffset() ?? 0,
      search: slot.search,
      focused,
      tiled,
    },
    tile.width - 4,
  );
  const lines = s ? s.lines() : [];
  const body = slot.mode === 'search' ? lines.slice(0, rows - 1) : lines;
  return (
    <Pane title={title} width={tile.width} height={tile.height} focused={focused}>
      <StyledLines lines={body} height={slot.mode === 'search' ? rows - 1 : rows} marks={marksFor(c, slot, focused)} dim={tiled && !focused} />
      {slot.mode === 'search' && (
        <Text wrap="truncate" color={color('yellow')}>
          /{slot.prompt}
          <Text inverse> </Text>
        </Text>
      )}
    </Pane>
  );
}

export function ConsoleScreen({ width, height }: { width: number; height: number }) {
  const c = useController();
  const ui = useUi((s) => s.console);
  useSyncExternalStore(c.consoles.subscribe, c.consoles.getVersion);
  // Domain states: a guest powering off turns its console's title to "not running".
  useSnapshot((s) => s.version);
  if (!ui) return null;
  const vis = visibleSlots(ui);
  const boxes = tiles(vis.length, width, height);
  const tiled = ui.layout === 'tiled' && ui.slots.length > 1;
  // Tiles in rows (same y), left to right.
  const rowsOf = new Map<number, number[]>();
  boxes.forEach((b, k) => rowsOf.set(b.y, [...(rowsOf.get(b.y) ?? []), k]));
  return (
    <Box flexDirection="column" width={width} height={height}>
      {[...rowsOf.entries()].map(([y, ks]) => (
        <Box key={y} flexDirection="row" height={boxes[ks[0]].height}>
          {ks.map((k) => (
            <ConsoleTile key={ui.slots[vis[k]].domain} slot={ui.slots[vis[k]]} tile={boxes[k]} focused={vis[k] === ui.focus} tiled={tiled} />
          ))}
        </Box>
      ))}
    </Box>
  );
}
