// An open console: a headless terminal that replayed the domain's ring and follows its output,
// with the guest's input path and a sanitised pass-through stream for real terminals. Closing
// it frees the terminal; the ring keeps recording.

import type { ConsoleMatch, ConsoleOpenOptions, ConsoleSession } from '../../api/console';
import type { ConsoleState, StyledLine } from '../../api/types';
import type { GuestSystem } from '../guest/guests';
import type { World } from '../world/world';
import { Sanitizer } from './sanitize';
import { DEFAULT_SCROLLBACK, TerminalView } from './view';

export class ConsoleSessionImpl implements ConsoleSession {
  private readonly view: TerminalView;
  private readonly sanitizer = new Sanitizer();
  private readonly listeners = new Set<(data: string) => void>();
  private readonly unwatch: () => void;
  private closed = false;

  constructor(
    private readonly w: World,
    private readonly guests: GuestSystem,
    private readonly uuid: string,
    opts: ConsoleOpenOptions,
  ) {
    const scrollback = opts.scrollback ?? DEFAULT_SCROLLBACK;
    if (!Number.isInteger(scrollback) || scrollback < 0 || scrollback > 100_000) {
      throw new RangeError(`console scrollback must be a whole number of lines from 0 to 100000, got ${scrollback}`);
    }
    this.view = new TerminalView(opts.cols, opts.rows, scrollback, (answer) => this.send(answer));
    const d = this.record();
    this.view.replay(guests.console(d).ring.data);
    this.unwatch = guests.watch(uuid, (text) => this.output(text));
  }

  private record() {
    const d = this.w.byUuid.get(this.uuid);
    if (!d) throw new Error(`console of a domain that no longer exists (${this.uuid})`);
    return d;
  }

  private output(text: string): void {
    if (this.closed || !text) return;
    this.view.write(text);
    if (this.listeners.size) {
      const safe = this.sanitizer.push(text);
      if (safe) for (const fn of [...this.listeners]) fn(safe);
    }
  }

  private send(data: string): void {
    const d = this.w.byUuid.get(this.uuid);
    if (d && !this.closed) this.guests.input(d, data);
  }

  get domain(): string {
    return this.w.byUuid.get(this.uuid)?.name ?? '';
  }

  get cols(): number {
    return this.view.cols;
  }

  get rows(): number {
    return this.view.rows;
  }

  get applicationCursor(): boolean {
    return this.view.applicationCursor;
  }

  write(data: string | Uint8Array): void {
    this.assertOpen();
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    this.send(text);
  }

  lines(): StyledLine[] {
    this.assertOpen();
    return this.view.lines();
  }

  cursor(): { row: number; col: number } | null {
    return this.view.cursor();
  }

  scroll(n: number): number {
    return this.view.scroll(n);
  }

  scrollToBottom(): void {
    this.view.scrollToBottom();
  }

  scrollOffset(): number {
    return this.view.scrollOffset();
  }

  search(term: string, opts?: { caseSensitive?: boolean }): ConsoleMatch[] {
    return this.view.search(term, !!opts?.caseSensitive);
  }

  reveal(match: ConsoleMatch): void {
    this.view.reveal(match);
  }

  resize(cols: number, rows: number): void {
    this.view.resize(cols, rows);
  }

  onOutput(cb: (data: string) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  state(): ConsoleState {
    const d = this.w.byUuid.get(this.uuid);
    if (!d) return { domain: '', available: false, running: false, device: '', recordedBytes: 0, capacityBytes: 0, attached: 0 };
    return this.guests.state(d);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unwatch();
    this.listeners.clear();
    this.view.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('console session is closed');
  }
}
