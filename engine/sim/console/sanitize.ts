// A stream filter for passing guest output straight to a real terminal (virsh console in the
// CLI). Text, colours and cursor movement pass; everything that could change the host terminal
// beyond the screen contents is dropped: window titles and OSC 52 clipboard (OSC), DCS/APC/PM/SOS
// strings, the alternate screen, mouse and paste modes, keypad/cursor-key modes, full reset,
// terminal queries (their answers would arrive on our stdin), charset switches, C1 controls and
// bell floods. It is a state machine so a sequence split across chunks is still caught.

const ESC = 0x1b;
/** CSI finals that only draw: SGR, cursor motion, erase, insert/delete, scroll (not the scroll region: it would outlive a detach). */
const CSI_ALLOWED = new Set('mABCDEFGHfJKdeaX@PLMST`'.split('').map((c) => c.charCodeAt(0)));
/** DEC private modes that are harmless to forward: autowrap (7), cursor visible (25). */
const PRIVATE_ALLOWED = new Set(['7', '25']);
const MAX_SEQ = 64;
/** At most one BEL passes per this many characters of output. */
const BEL_SPACING = 4096;

type Mode = 'text' | 'esc' | 'csi' | 'string' | 'string-esc' | 'charset';

export class Sanitizer {
  private mode: Mode = 'text';
  private seq = '';
  private sinceBell = BEL_SPACING;

  /** Filters one chunk; state carries over to the next. */
  push(input: string): string {
    let out = '';
    let runStart = -1;
    for (let i = 0; i < input.length; i++) {
      const c = input.charCodeAt(i);
      if (this.mode === 'text') {
        if ((c >= 0x20 && c < 0x7f) || c > 0x9f || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08) {
          if (runStart < 0) runStart = i;
          continue;
        }
        if (runStart >= 0) {
          out += input.slice(runStart, i);
          this.sinceBell += i - runStart;
          runStart = -1;
        }
        if (c === ESC) this.mode = 'esc';
        else if (c === 0x9b) this.begin('csi', '\x1b[');
        else if (c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) this.mode = 'string';
        else if (c === 0x07 && this.sinceBell >= BEL_SPACING) {
          out += '\x07';
          this.sinceBell = 0;
        }
        // other C0/C1 controls (SO/SI charset shifts, ENQ answerback, …) are dropped
        continue;
      }
      out += this.step(c, input[i]);
    }
    if (runStart >= 0) {
      out += input.slice(runStart);
      this.sinceBell += input.length - runStart;
    }
    return out;
  }

  private begin(mode: Mode, seq: string): void {
    this.mode = mode;
    this.seq = seq;
  }

  private step(c: number, ch: string): string {
    switch (this.mode) {
      case 'esc':
        if (ch === '[') return this.begin('csi', '\x1b['), '';
        if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') return this.begin('string', ''), '';
        if (ch === '(') return this.begin('charset', ''), '';
        this.mode = 'text';
        // save/restore cursor, index, reverse index, next line: pure drawing
        return ch === '7' || ch === '8' || ch === 'D' || ch === 'M' || ch === 'E' ? '\x1b' + ch : '';
      case 'charset':
        this.mode = 'text';
        return ch === 'B' ? '\x1b(B' : '';
      case 'string':
        // OSC ends at BEL or ST (ESC \); DCS/APC/PM/SOS at ST. The content is never forwarded.
        if (c === 0x07 || c === 0x9c) this.mode = 'text';
        else if (c === ESC) this.mode = 'string-esc';
        return '';
      case 'string-esc':
        this.mode = ch === '\\' ? 'text' : 'string';
        return '';
      case 'csi': {
        this.seq += ch;
        if (c >= 0x40 && c <= 0x7e) {
          this.mode = 'text';
          return this.csi(this.seq);
        }
        if (c < 0x20 || this.seq.length > MAX_SEQ) this.mode = 'text'; // malformed: drop it
        return '';
      }
      default:
        return '';
    }
  }

  private csi(seq: string): string {
    const body = seq.slice(2, -1);
    const final = seq.charCodeAt(seq.length - 1);
    if (body.startsWith('?')) {
      const isMode = final === 0x68 || final === 0x6c; // h / l
      const modes = body.slice(1).split(';');
      return isMode && modes.every((m) => PRIVATE_ALLOWED.has(m)) ? seq : '';
    }
    // parameters and separators only: no intermediates (" q", "!p" soft reset, …)
    if (!/^[0-9;:]*$/.test(body)) return '';
    return CSI_ALLOWED.has(final) ? seq : '';
  }
}

/** One-shot convenience. */
export function sanitize(text: string): string {
  return new Sanitizer().push(text);
}
