// Tells a keyboard-wedge scanner from a person typing, by timing alone (pure). It lives in the renderer,
// its only user: the window's keyboard listener (a wedge scanner types into the focused window).
// A scanner types a whole code with keystrokes a few ms apart and ends with Enter;
// a person types slower than ~30 ms per key.

export interface KeystrokeOptions {
  maxGapMs?: number; // keystrokes further apart than this are typing (default 30)
  minLength?: number; // shorter bursts are typing too (default 6)
}

export type KeystrokeResult =
  | { type: 'scan'; code: string }
  | { type: 'typing'; text: string };

export class KeystrokeTimingDecoder {
  private chars = '';
  private burst = ''; // the tail of chars typed at scanner speed
  private last = -Infinity;
  private readonly maxGap: number;
  private readonly minLength: number;

  constructor(opts: KeystrokeOptions = {}) {
    this.maxGap = opts.maxGapMs ?? 30;
    this.minLength = opts.minLength ?? 6;
  }

  /** Feed one key ("Enter" or a single character) with its timestamp in ms. */
  push(key: string, t: number): KeystrokeResult | null {
    const fast = t - this.last <= this.maxGap;
    this.last = t;
    if (key === 'Enter') return this.end(fast);
    this.burst = fast && this.chars.length > 0 ? this.burst + key : key;
    this.chars += key;
    return null;
  }

  private end(fast: boolean): KeystrokeResult | null {
    const all = this.chars;
    const burst = this.burst;
    this.chars = '';
    this.burst = '';
    if (fast && burst.length >= this.minLength) {
      // Anything typed before the burst was the person's; the burst is the scan.
      return { type: 'scan', code: burst };
    }
    return all.length > 0 ? { type: 'typing', text: all } : null;
  }
}
