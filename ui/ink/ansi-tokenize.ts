// @alcalzone/ansi-tokenize for Ink's Output (the bundle routes Ink's import here, see
// esbuild.config.mjs), with exact fast paths for what a full-screen frame is made of:
// - tokenize: simple text (see simple-text.ts) is one narrow char per unit and its SGR codes are
//   parsed alone, no Intl.Segmenter over the whole line needed;
// - styledCharsToString: between two cells with the same styles (most of a 200×60 grid is blank,
//   unstyled cells) the diff is empty, so skip diffAnsiCodes' Sets and arrays — 12,000 cells per
//   frame, which on a cold start run in the interpreter;
// - styledCharsFromTokens: one styles array per style run, not one copy per character.
import * as real from '@alcalzone/ansi-tokenize';
import { splitSgr } from './simple-text';

export * from '@alcalzone/ansi-tokenize';

type Token = ReturnType<typeof real.tokenize>[number];
type StyledChar = Parameters<typeof real.styledCharsToString>[0][number];
type AnsiCode = StyledChar['styles'][number];

// The tokens of one SGR code (a compound code gives several), copied out on each use so every
// call returns fresh objects, as the original does.
const codeTokens = new Map<string, Token[]>();
function tokensOfCode(code: string): Token[] {
  let t = codeTokens.get(code);
  if (!t) codeTokens.set(code, (t = real.tokenize(code)));
  return t.map((x) => ({ ...x }));
}

export function tokenize(str: string, endChar = Number.POSITIVE_INFINITY): Token[] {
  const parts = splitSgr(str);
  if (!parts) return real.tokenize(str, endChar);
  const out: Token[] = [];
  let visible = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    if (p % 2) {
      out.push(...tokensOfCode(part));
      continue;
    }
    for (let i = 0; i < part.length; i++) {
      out.push({ type: 'char', value: part[i], fullWidth: false });
      if (++visible >= endChar) return out; // as the original: stop once `endChar` columns are visible
    }
  }
  return out;
}

/**
 * As the original, except that the chars of one style run share one styles array instead of a copy
 * each (and no object spread): equal content, a fraction of the allocation. Nothing mutates these
 * arrays (Ink's Output itself shares them between the cells of a wide character).
 */
export function styledCharsFromTokens(tokens: Token[]): StyledChar[] {
  let codes: AnsiCode[] = [];
  let styles: AnsiCode[] = [];
  const ret: StyledChar[] = [];
  for (const token of tokens) {
    if (token.type === 'ansi') {
      codes = real.reduceAnsiCodesIncremental(codes, [token]);
      styles = [...codes];
    } else if (token.type === 'char') {
      ret.push({ type: 'char', value: token.value, fullWidth: token.fullWidth, styles });
    }
  }
  return ret;
}

/** Same codes (element by element): diffAnsiCodes would return nothing. */
function sameStyles(a: readonly AnsiCode[], b: readonly AnsiCode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function styledCharsToString(chars: StyledChar[]): string {
  let ret = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (i === 0) {
      if (char.styles.length) ret += real.ansiCodesToString(char.styles);
    } else if (!sameStyles(chars[i - 1].styles, char.styles)) {
      ret += real.ansiCodesToString(real.diffAnsiCodes(chars[i - 1].styles, char.styles));
    }
    ret += char.value;
    if (i === chars.length - 1 && char.styles.length) ret += real.ansiCodesToString(real.diffAnsiCodes(char.styles, []));
  }
  return ret;
}
