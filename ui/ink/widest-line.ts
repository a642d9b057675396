// widest-line for Ink (the bundle routes Ink's import here, see routes.json). Simple text (SGR
// codes aside, see simple-text.ts) is measured in one pass over the string: no split, no string
// per line. Anything else goes to string-width line by line, as the real one does.
import { simpleWidest } from './simple-text';
import stringWidth from './string-width';

export default function widestLine(text: string): number {
  const w = simpleWidest(text);
  return w >= 0 ? w : Math.max(...text.split('\n').map((line) => stringWidth(line)));
}
