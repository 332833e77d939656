import { fitLine } from './width.js';

// What the live area draws on: a terminal's stream and its size.
export interface Screen {
  write(text: string): unknown;
  columns?: number;
  rows?: number;
}

// The lines of the live area at one frame, in at most `room` rows.
export type LiveLines = (frame: number, room: number) => string[];

export interface LiveOptions {
  tickMs?: number; // how often it redraws (its spinner, and whatever changed since); 0: only on draw()
}

// A few lines kept at the bottom of the terminal and redrawn in place, with finished output
// printed once above them and never touched again. A redraw erases and rewrites only the live
// lines, each cut to one row, at most a screenful less two: its cost is the size of the live
// area and of what was printed since the last frame, never of all the output so far. Changes
// between two ticks are drawn together at the next one.
export class LiveArea {
  private pending = ''; // printed since the last frame, not yet written
  private drawn = 0; // rows the live area takes on the screen now
  private frame = 0;
  private readonly timer: NodeJS.Timeout | null;
  private closed = false;

  constructor(
    private readonly screen: Screen,
    private readonly lines: LiveLines,
    opts: LiveOptions = {},
  ) {
    const tick = opts.tickMs ?? 100;
    // Unref'd: a run that throws past its printer must not be kept alive by the spinner.
    this.timer = tick > 0 ? setInterval(() => this.draw(), tick).unref() : null;
  }

  // Text that is done (whole lines): written above the live area at the next frame, once.
  print(text: string): void {
    if (this.closed) this.screen.write(text);
    else this.pending += text;
  }

  // Erase the live area, write what was printed since, draw the live lines again: one write.
  draw(): void {
    if (this.closed) return;
    const { columns = 80, rows = 24 } = this.screen;
    const room = Math.max(1, rows - 2);
    const live = this.lines(this.frame++, room).slice(0, room).map((l) => `${fitLine(l, columns - 1)}\n`);
    this.screen.write(`${this.erase()}${this.pending}${live.join('')}`);
    this.pending = '';
    this.drawn = live.length;
  }

  // The end: the live area goes, what was printed stays; later prints are written at once.
  close(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.screen.write(`${this.erase()}${this.pending}`);
    this.pending = '';
    this.drawn = 0;
    this.closed = true;
  }

  // Up to the live area's first row, and clear to the end of the screen (every live line ends
  // with a newline, so the cursor sits at the start of the row below it).
  private erase(): string {
    return this.drawn > 0 ? `\x1b[${this.drawn}A\x1b[J` : '';
  }
}
