// Guest output can never change the host terminal: a corpus of hostile sequences through the
// pass-through sanitiser and through the headless terminal's styled lines.
import { describe, expect, it } from 'vitest';
import { Sanitizer, sanitize } from '../../../engine/sim/console/sanitize';
import { dom, guestSim, boot } from '../guest/world';

const ESC = '\x1b';
/** [name, bytes, visible text that must survive] */
const CORPUS: Array<[string, string, string]> = [
  ['window title (OSC 0, BEL)', `${ESC}]0;pwned${'\x07'}ok1`, 'ok1'],
  ['window title (OSC 2, ST)', `${ESC}]2;pwned${ESC}\\ok2`, 'ok2'],
  ['OSC 52 clipboard write', `${ESC}]52;c;cm0gLXJmIC8K${'\x07'}ok3`, 'ok3'],
  ['OSC 8 hyperlink', `${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\`, 'link'],
  ['OSC 4 palette change', `${ESC}]4;1;rgb:00/00/00${'\x07'}ok4`, 'ok4'],
  ['alternate screen', `${ESC}[?1049hok5`, 'ok5'],
  ['alternate screen (47)', `${ESC}[?47hok6${ESC}[?47l`, 'ok6'],
  ['mouse tracking', `${ESC}[?1000h${ESC}[?1003h${ESC}[?1006hok7`, 'ok7'],
  ['bracketed paste', `${ESC}[?2004hok8`, 'ok8'],
  ['application cursor/keypad', `${ESC}[?1h${ESC}=ok9`, 'ok9'],
  ['full reset', `${ESC}cok10`, 'ok10'],
  ['DCS (DECRQSS, sixel)', `${ESC}P$q"p${ESC}\\${ESC}Pq#0;2;0;0;0~${ESC}\\ok11`, 'ok11'],
  ['APC / PM / SOS', `${ESC}_kitty${ESC}\\${ESC}^pm${ESC}\\${ESC}Xsos${ESC}\\ok12`, 'ok12'],
  ['window manipulation (resize, iconify)', `${ESC}[8;100;300t${ESC}[2t${ESC}[21tok13`, 'ok13'],
  ['device status / attributes queries', `${ESC}[6n${ESC}[c${ESC}[>c${ESC}[5nok14`, 'ok14'],
  ['C1 8-bit CSI and OSC', `\u009b?1049h\u009d0;t\u0007ok15`, 'ok15'],
  ['charset switch (SO, DEC graphics)', `\x0e${ESC}(0ok16${ESC}(B\x0f`, 'ok16'],
  ['cursor style and soft reset', `${ESC}[2 q${ESC}[!pok17`, 'ok17'],
  ['scroll region', `${ESC}[5;10rok18`, 'ok18'],
  ['focus events and synchronized output', `${ESC}[?1004h${ESC}[?2026hok19`, 'ok19'],
  ['unterminated OSC then text', `${ESC}]0;never ends ok20`, ''],
];

const DANGEROUS = [/\x1b\]/, /\x1bP/, /\x1b_/, /\x1b\^/, /\x1bX/, /\x1b\[\?(1049|47|1047|1000|1002|1003|1006|2004|1|1004|2026)[hl]/, /\x1bc/, /\x1b\[[\d;]*t/, /\x1b\[[\d;]*n/, /\x1b\[>?c/, /[\u0080-\u009f]/, /\x0e|\x0f/, /\x1b\(0/, /\x1b\[[\d;]*r/, /\x1b\[\d* q/, /\x1b\[!p/, /\x1b=/];

describe('pass-through sanitiser', () => {
  for (const [name, bytes, keep] of CORPUS) {
    it(`drops ${name}`, () => {
      const out = sanitize(bytes);
      for (const re of DANGEROUS) expect(out).not.toMatch(re);
      if (keep) expect(out).toContain(keep);
    });
  }

  it('keeps text, colours and cursor movement', () => {
    const ok = `plain \x1b[1;31mred\x1b[0m \x1b[38;5;208m256\x1b[0m \x1b[38;2;1;2;3mrgb\x1b[0m\r\n\x1b[2K\x1b[3A\x1b[10;5H\x1b7\x1b8\ttab`;
    expect(sanitize(ok)).toBe(ok);
  });

  it('catches sequences split across chunks', () => {
    const s = new Sanitizer();
    const parts = ['a\x1b', ']0;ti', 'tle\x07b\x1b[', '?104', '9hc\x1b[3', '1md'];
    expect(parts.map((p) => s.push(p)).join('')).toBe('abc\x1b[31md');
  });

  it('lets at most one BEL through per 4 KiB of output (bell floods)', () => {
    const out = sanitize('\x07'.repeat(10_000) + 'x'.repeat(5000) + '\x07\x07');
    expect(out.match(/\x07/g)).toHaveLength(2);
  });
});

describe('styled lines from the headless terminal', () => {
  it('show only text and attributes for the whole corpus; the host sees nothing else', () => {
    const sim = guestSim([dom('h', 'kvm1')]);
    boot(sim, 'h');
    const c = sim.openConsole('h', { cols: 80, rows: 24 });
    const passed: string[] = [];
    c.onOutput((d) => passed.push(d));
    for (const [, bytes] of CORPUS) sim.injectConsoleOutput('h', `\x1b[?1049l\x1b[0m\x0f${bytes}\r\n`);
    const lines = c.lines();
    expect(lines).toHaveLength(24);
    for (const l of lines) {
      for (const r of l.runs) {
        expect(r.text).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
        expect(Object.keys(r).every((k) => ['text', 'fg', 'bg', 'bold', 'dim', 'italic', 'underline', 'inverse'].includes(k))).toBe(true);
      }
    }
    const all = passed.join('');
    for (const re of DANGEROUS) expect(all).not.toMatch(re);
    const screen = lines.map((l) => l.runs.map((r) => r.text).join('')).join('\n');
    expect(screen).toContain('ok19');
    expect(screen).not.toContain('pwned');
  });

  it('carries colours and attributes as runs', () => {
    const sim = guestSim([dom('h', 'kvm1')]);
    const c = sim.openConsole('h', { cols: 40, rows: 5 });
    sim.injectConsoleOutput('h', '\x1b[2J\x1b[Hab\x1b[1;31mRED\x1b[0m\x1b[4;38;2;1;2;3mU\x1b[0m\x1b[7;44mI\x1b[0m  ');
    const runs = c.lines()[0].runs;
    expect(runs).toEqual([
      { text: 'ab' },
      { text: 'RED', fg: { kind: 'palette', index: 1 }, bold: true },
      { text: 'U', fg: { kind: 'rgb', rgb: 0x010203 }, underline: true },
      { text: 'I', bg: { kind: 'palette', index: 4 }, inverse: true },
    ]);
  });
});
