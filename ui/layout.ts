// Pane sizes from the terminal size. The frame is at most rows − 1 lines: when Ink's output is as
// tall as the terminal it clears the whole screen on every frame (flicker, no incremental writes).
export interface Layout {
  width: number;
  /** Total frame height (rows − 1). */
  height: number;
  tooSmall: boolean;
  treeWidth: number;
  tableWidth: number;
  /** Height of the tree + table row of panes. */
  topHeight: number;
  /** Height of the details pane (0 = hidden on very short terminals). */
  bottomHeight: number;
  /** Height of the whole body (top + bottom), used by full-screen help. */
  bodyHeight: number;
}

/** Header + event line + status line + footer hints. */
const CHROME = 4;

export function computeLayout(columns: number, rows: number, overlay = false): Layout {
  const width = Math.max(1, columns);
  const height = Math.max(1, rows - 1);
  const body = height - CHROME;
  const tooSmall = width < 40 || body < 6;
  const treeWidth = width < 100 ? Math.min(22, Math.floor(width * 0.3)) : Math.min(34, Math.round(width * 0.2));
  let bottom = body >= 30 ? Math.min(12, Math.max(9, Math.round(body * 0.3))) : body >= 15 ? 7 : 0;
  // Dialogs and the palette use the details slot; give them room on short terminals.
  if (overlay) bottom = Math.max(bottom, Math.min(12, body - 5));
  return {
    width,
    height,
    tooSmall,
    treeWidth,
    tableWidth: width - treeWidth,
    topHeight: body - bottom,
    bottomHeight: bottom,
    bodyHeight: body,
  };
}
