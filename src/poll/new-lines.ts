/** What poll remembers of the previous capture of a pane. */
export interface PreviousCapture {
  /** The last settled lines of the previous capture (at most `TAIL_LINES`). */
  tail: string[];
  /** How many settled lines the previous capture had. */
  count: number;
  /** The pane's history size then. */
  historySize: number;
}

/** Lines of the previous capture kept to find it again in the next one. */
export const TAIL_LINES = 400;
/** Lines that must agree before an overlap shorter than the remembered tail is believed. */
const MIN_OVERLAP = 3;
/** Above this many line comparisons, redrawn lines are not matched one by one. */
const MAX_REDRAW_WORK = 250_000;

/**
 * The lines of `lines` (a whole capture: history top to the line before the cursor) that the
 * previous capture did not show. In order:
 *
 * 1. Nothing trimmed from the history (its size did not shrink and is under the limit) and the
 *    previous lines are where they were: the lines after them are new. Exact, repeats included.
 * 2. Else the latest end of the remembered tail that the capture shows with everything before it
 *    agreeing (at least 3 lines, or the whole tail) marks where the new lines start; the latest
 *    such place is taken, so a repeated block is never counted twice. Remembered lines that
 *    vanished (redrawn in place) and reappear after that place are not new.
 * 3. Else (the pane was cleared, reset, or scrolled past its history) every line is new.
 */
export function newLines(previous: PreviousCapture | undefined, lines: readonly string[], historySize: number, historyLimit: number): string[] {
  if (previous === undefined) return [...lines];
  const { tail, count } = previous;
  if (tail.length === 0) return [...lines];
  if (historySize >= previous.historySize && historySize < historyLimit && lines.length >= count && sameRun(lines, count - tail.length, tail, 0, tail.length)) {
    return lines.slice(count);
  }
  for (let m = tail.length; m >= 1; m--) {
    const last = tail[m - 1];
    for (let j = lines.length; j >= 1; j--) {
      if (lines[j - 1] !== last) continue;
      const k = Math.min(m, j);
      if (k < Math.min(MIN_OVERLAP, m)) continue;
      if (!sameRun(lines, j - k, tail, m - k, k)) continue;
      const after = lines.slice(j);
      return m === tail.length ? after : withoutRedrawn(after, tail.slice(m));
    }
  }
  return [...lines];
}

function sameRun(a: readonly string[], aStart: number, b: readonly string[], bStart: number, length: number): boolean {
  if (aStart < 0 || bStart < 0) return false;
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/** `after` less the lines of a longest common subsequence with `vanished` (lines shown before, redrawn). */
function withoutRedrawn(after: readonly string[], vanished: readonly string[]): string[] {
  if (after.length * vanished.length > MAX_REDRAW_WORK) return [...after];
  const rows = after.length + 1;
  const cols = vanished.length + 1;
  const lcs = new Uint32Array(rows * cols);
  for (let i = after.length - 1; i >= 0; i--) {
    for (let j = vanished.length - 1; j >= 0; j--) {
      lcs[i * cols + j] = after[i] === vanished[j] ? (lcs[(i + 1) * cols + j + 1] as number) + 1 : Math.max(lcs[(i + 1) * cols + j] as number, lcs[i * cols + j + 1] as number);
    }
  }
  const fresh: string[] = [];
  let i = 0;
  let j = 0;
  while (i < after.length) {
    if (j < vanished.length && after[i] === vanished[j]) {
      i++;
      j++;
    } else if (j < vanished.length && (lcs[i * cols + j + 1] as number) >= (lcs[(i + 1) * cols + j] as number)) j++;
    else fresh.push(after[i++] as string);
  }
  return fresh;
}
