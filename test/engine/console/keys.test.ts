// Key encoding: the bytes xterm sends, as a table.
import { describe, expect, it } from 'vitest';
import { encodeKey, type KeySpec } from '../../../engine/sim/console/keys';

const TABLE: Array<[KeySpec, string, string?]> = [
  [{ char: 'a' }, 'a'],
  [{ char: 'a', shift: true }, 'A'],
  [{ char: 'c', ctrl: true }, '\x03'],
  [{ char: 'C', ctrl: true }, '\x03'],
  [{ char: 'u', ctrl: true }, '\x15'],
  [{ char: ']', ctrl: true }, '\x1d'],
  [{ char: ' ', ctrl: true }, '\x00'],
  [{ char: '\\', ctrl: true }, '\x1c'],
  [{ char: 'x', alt: true }, '\x1bx'],
  [{ char: 'b', alt: true, ctrl: true }, '\x1b\x02'],
  [{ name: 'enter' }, '\r'],
  [{ name: 'tab' }, '\t'],
  [{ name: 'tab', shift: true }, '\x1b[Z'],
  [{ name: 'backspace' }, '\x7f'],
  [{ name: 'backspace', ctrl: true }, '\x08'],
  [{ name: 'backspace', alt: true }, '\x1b\x7f'],
  [{ name: 'escape' }, '\x1b'],
  [{ name: 'up' }, '\x1b[A'],
  [{ name: 'down' }, '\x1b[B'],
  [{ name: 'right' }, '\x1b[C'],
  [{ name: 'left' }, '\x1b[D'],
  [{ name: 'up' }, '\x1bOA', 'app'],
  [{ name: 'home' }, '\x1b[H'],
  [{ name: 'end' }, '\x1b[F'],
  [{ name: 'home' }, '\x1bOH', 'app'],
  [{ name: 'up', ctrl: true }, '\x1b[1;5A'],
  [{ name: 'right', shift: true }, '\x1b[1;2C'],
  [{ name: 'left', alt: true }, '\x1b[1;3D'],
  [{ name: 'end', ctrl: true, shift: true }, '\x1b[1;6F'],
  [{ name: 'insert' }, '\x1b[2~'],
  [{ name: 'delete' }, '\x1b[3~'],
  [{ name: 'pageup' }, '\x1b[5~'],
  [{ name: 'pagedown' }, '\x1b[6~'],
  [{ name: 'pagedown', ctrl: true }, '\x1b[6;5~'],
  [{ name: 'f1' }, '\x1bOP'],
  [{ name: 'f2' }, '\x1bOQ'],
  [{ name: 'f3' }, '\x1bOR'],
  [{ name: 'f4' }, '\x1bOS'],
  [{ name: 'f1', shift: true }, '\x1b[1;2P'],
  [{ name: 'f5' }, '\x1b[15~'],
  [{ name: 'f6' }, '\x1b[17~'],
  [{ name: 'f7' }, '\x1b[18~'],
  [{ name: 'f8' }, '\x1b[19~'],
  [{ name: 'f9' }, '\x1b[20~'],
  [{ name: 'f10' }, '\x1b[21~'],
  [{ name: 'f11' }, '\x1b[23~'],
  [{ name: 'f12' }, '\x1b[24~'],
  [{ name: 'f12', ctrl: true }, '\x1b[24;5~'],
];

describe('encodeKey', () => {
  for (const [key, bytes, mode] of TABLE) {
    it(`${JSON.stringify(key)}${mode ? ' (application cursor)' : ''} → ${JSON.stringify(bytes)}`, () => {
      expect(encodeKey(key, { applicationCursor: mode === 'app' })).toBe(bytes);
    });
  }
  it('a key without a name or character sends nothing', () => {
    expect(encodeKey({})).toBe('');
  });
});
