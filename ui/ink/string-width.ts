// string-width for Ink's own modules (the bundle routes Ink's and widest-line's import here, see
// esbuild.config.mjs): simple text (SGR codes aside) is as wide as it is long; anything else goes to the real one.
import realStringWidth from 'string-width';
import { simpleWidth } from './simple-text';

type Options = Parameters<typeof realStringWidth>[1];

export default function stringWidth(input: string, options?: Options): number {
  if (options === undefined && typeof input === 'string') {
    const w = simpleWidth(input);
    if (w >= 0) return w;
  }
  return realStringWidth(input, options);
}
