// Splits a virsh command string into commands and words the way virsh's
// vshCommandStringGetArg does: whitespace separates words, ';' and newlines separate
// commands, '#' at the start of a word comments out the rest of the line, single quotes are
// literal, double quotes allow backslash escapes, and a backslash outside quotes escapes
// the next character.

export class TokenizeError extends Error {}

/** Returns the words of each non-empty command. Throws TokenizeError on an unclosed quote. */
export function splitCommands(input: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let i = 0;
  const n = input.length;
  const endCommand = () => {
    if (words.length > 0) commands.push(words);
    words = [];
  };
  while (i < n) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === ';' || c === '\n') {
      endCommand();
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && input[i] !== '\n') i++;
      continue;
    }
    let word = '';
    while (i < n) {
      const ch = input[i];
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === ';' || ch === '\n') break;
      if (ch === '\\' && i + 1 < n) {
        word += input[i + 1];
        i += 2;
      } else if (ch === "'") {
        const close = input.indexOf("'", i + 1);
        if (close < 0) throw new TokenizeError("missing '");
        word += input.slice(i + 1, close);
        i = close + 1;
      } else if (ch === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const d = input[i];
          if (d === '\\' && i + 1 < n) {
            word += input[i + 1];
            i += 2;
          } else if (d === '"') {
            closed = true;
            i++;
            break;
          } else {
            word += d;
            i++;
          }
        }
        if (!closed) throw new TokenizeError('missing "');
      } else {
        word += ch;
        i++;
      }
    }
    words.push(word);
  }
  endCommand();
  return commands;
}

/** Quotes a word so splitCommands gives it back unchanged (for completion of names with spaces). */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_.,:/@+=%-]+$/.test(word)) return word;
  return "'" + word.replace(/'/g, `'\\''`) + "'";
}
