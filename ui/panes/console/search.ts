// Search helpers over a console session's matches (absolute buffer lines, oldest first).
import type { ConsoleMatch, ConsoleSession } from '../../../engine/index';

export interface Found {
  match: ConsoleMatch | null;
  /** 1-based position among `count`; 0 when nothing matched. */
  index: number;
  count: number;
  /** The search ran off one end and continued from the other. */
  wrapped: boolean;
}

const before = (a: { line: number; col: number }, b: { line: number; col: number }) => a.line < b.line || (a.line === b.line && a.col < b.col);
const same = (a: { line: number; col: number }, b: { line: number; col: number }) => a.line === b.line && a.col === b.col;

/**
 * The match next to `from` going older (dir −1) or newer (+1); `inclusive` accepts a match at
 * `from` itself. Runs off an end → wraps to the other.
 */
export function findFrom(matches: ConsoleMatch[], from: { line: number; col: number }, dir: 1 | -1, inclusive: boolean): Found {
  const count = matches.length;
  if (!count) return { match: null, index: 0, count, wrapped: false };
  let i = -1;
  if (dir < 0) {
    for (let j = count - 1; j >= 0; j--) {
      if (before(matches[j], from) || (inclusive && same(matches[j], from))) {
        i = j;
        break;
      }
    }
  } else {
    i = matches.findIndex((m) => before(from, m) || (inclusive && same(m, from)));
  }
  const wrapped = i < 0;
  if (wrapped) i = dir < 0 ? count - 1 : 0;
  return { match: matches[i], index: i + 1, count, wrapped };
}

/**
 * The absolute buffer line at the top of the view. The session reports only its offset from the
 * bottom, so measure the history by scrolling to the top and back (both exact, nothing renders
 * in between); at the bottom, scrollToBottom keeps the view following new output.
 */
export function viewportTop(s: ConsoleSession): number {
  const offset = s.scrollOffset();
  const history = s.scroll(-1_000_000_000);
  if (offset === 0) s.scrollToBottom();
  else s.scroll(history - offset);
  return history - offset;
}
