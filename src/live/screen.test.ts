import { describe, expect, it } from 'vitest';
import { ENTER, frame, LEAVE } from './frame.js';
import { seg, type Line } from './line.js';
import { isQuitKey, runScreen } from './screen.js';
import type { Terminal } from './terminal.js';

/** A terminal in memory: what was written, raw mode, and the listeners the view holds. */
class TestTerminal implements Terminal {
  out = '';
  raw: boolean[] = [];
  columns = 40;
  rows = 5;
  readonly listeners = { resize: new Set<() => void>(), input: new Set<(d: string) => void>(), signal: new Set<(s: string) => void>(), crash: new Set<() => void>() };
  size = () => ({ columns: this.columns, rows: this.rows });
  write = (text: string) => void (this.out += text);
  setRawMode = (on: boolean) => void this.raw.push(on);
  onResize = (l: () => void) => this.#add(this.listeners.resize, l);
  onInput = (l: (d: string) => void) => this.#add(this.listeners.input, l);
  onSignal = (l: (s: string) => void) => this.#add(this.listeners.signal, l);
  onCrash = (l: () => void) => this.#add(this.listeners.crash, l);
  held = () => Object.values(this.listeners).reduce((n, set) => n + set.size, 0);
  #add<T>(set: Set<T>, listener: T): () => void {
    set.add(listener);
    return () => void set.delete(listener);
  }
}

const render = (state: number | undefined, size: { columns: number; rows: number }): Line[] => [[seg(`frame ${state ?? '-'} at ${size.columns}x${size.rows}`)]];

async function until(probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('runScreen', () => {
  it('draws each refresh, redraws on resize, quits on q and restores the terminal', async () => {
    const term = new TestTerminal();
    let n = 0;
    const done = runScreen(term, { intervalMs: 10, color: false, refresh: async () => ++n, render });
    await until(() => term.out.includes('frame 3 at 40x5'));
    term.columns = 60;
    for (const l of term.listeners.resize) l();
    expect(term.out.endsWith(`frame 3 at 60x5${'\u001b[K'}${'\u001b[2;1H\u001b[J'}`)).toBe(true);
    for (const l of term.listeners.input) l('q');
    expect(await done).toEqual({ reason: 'key' });
    expect(term.out.startsWith(ENTER)).toBe(true);
    expect(term.out.endsWith(LEAVE)).toBe(true);
    expect(term.raw).toEqual([true, false]);
    expect(term.held()).toBe(0);
  });

  it('ends on a signal', async () => {
    const term = new TestTerminal();
    const done = runScreen(term, { intervalMs: 1000, color: false, refresh: async () => 1, render });
    await until(() => term.out.includes('frame 1'));
    for (const l of term.listeners.signal) l('SIGTERM');
    expect(await done).toEqual({ reason: 'signal', signal: 'SIGTERM' });
    expect(term.out.endsWith(LEAVE)).toBe(true);
  });

  it('restores the terminal before a failed refresh is thrown', async () => {
    const term = new TestTerminal();
    let n = 0;
    const done = runScreen(term, {
      intervalMs: 5,
      color: false,
      refresh: async () => {
        if (++n === 2) throw new Error('ledger gone');
        return n;
      },
      render,
    });
    await expect(done).rejects.toThrow('ledger gone');
    expect(term.out.endsWith(LEAVE)).toBe(true);
    expect(term.raw).toEqual([true, false]);
    expect(term.held()).toBe(0);
  });

  it('restores the terminal once when the process goes down around it', async () => {
    const term = new TestTerminal();
    const done = runScreen(term, { intervalMs: 1000, color: false, refresh: async () => 1, render });
    await until(() => term.out.includes('frame 1'));
    for (const l of term.listeners.crash) l();
    expect(term.out.endsWith(LEAVE)).toBe(true);
    for (const l of term.listeners.input) l('\u0003');
    await done;
    expect(term.out.split(LEAVE)).toHaveLength(2);
  });

  it('quits on q, Q and Ctrl-C, never on escape sequences', () => {
    expect(['q', 'Q', '\u0003', 'xq'].map(isQuitKey)).toEqual([true, true, true, true]);
    expect(['\u001bOQ', '\u001b[A', 'r', ' '].map(isQuitKey)).toEqual([false, false, false, false]);
  });
});

describe('frame', () => {
  it('draws every line at its row, clears what the last frame left, and writes colours only when asked', () => {
    const out = frame([[seg('ab', 'title')], [seg('abcd')]], { columns: 4, rows: 3 }, false);
    // A line as wide as the terminal is not followed by a clear (which would erase its last cell).
    expect(out).toBe('\u001b[1;1Hab\u001b[K\u001b[2;1Habcd\u001b[3;1H\u001b[J');
    expect(frame([[seg('ab', 'warn')]], { columns: 4, rows: 1 }, true)).toBe('\u001b[1;1H\u001b[33mab\u001b[39m\u001b[K');
  });
});
