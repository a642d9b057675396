// Ink's wrap-text (the bundle routes Ink's imports here, see routes.json), the same function over
// a bounded cache (measure-text.ts says why).
import cliTruncate from 'cli-truncate';
import wrapAnsi from 'wrap-ansi';
import { BoundedCache } from './measure-text';

const wrapped = new BoundedCache<string>();

export default function wrapText(text: string, maxWidth: number, wrapType: string): string {
  const key = text + String(maxWidth) + String(wrapType);
  const hit = wrapped.get(key);
  if (hit) return hit;
  let out = text;
  if (wrapType === 'wrap') out = wrapAnsi(text, maxWidth, { trim: false, hard: true });
  if (wrapType.startsWith('truncate')) {
    const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
    out = cliTruncate(text, maxWidth, { position });
  }
  return wrapped.put(key, out);
}
