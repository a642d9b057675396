// Ink's measure-text (the bundle routes Ink's import here, see routes.json): the same function over
// a bounded cache (wrap-text.ts likewise). Ink keeps every text it has ever measured or wrapped, so
// a long-running TUI whose lines change all the time (clock, loads, a console) grows without limit.
// Each cache starts over past its bound; what it held is recomputed on the next use.
import widestLine from './widest-line';

const MAX_ENTRIES = 2000;

/** A cache that starts over once it holds MAX_ENTRIES. */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  put(key: string, value: V): V {
    if (this.map.size >= MAX_ENTRIES) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}

type Dimensions = { width: number; height: number };
const measured = new BoundedCache<Dimensions>();

// Past this length a text is not kept: measuring simple text costs about what hashing it does, and
// the long texts (the heatmap's grid, the vCPU pane) are new on every frame — kept, a few thousand
// of them would hold tens of megabytes for the collector to walk.
const MAX_KEPT_LENGTH = 1000;

export default function measureText(text: string): Dimensions {
  if (text.length === 0) return { width: 0, height: 0 };
  const hit = text.length <= MAX_KEPT_LENGTH ? measured.get(text) : undefined;
  if (hit) return hit;
  const dims = { width: widestLine(text), height: lines(text) };
  return text.length <= MAX_KEPT_LENGTH ? measured.put(text, dims) : dims;
}

function lines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
