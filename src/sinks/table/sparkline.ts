/**
 * A one-line bar chart of spend: one block character per value.
 *
 * Rules:
 * - Bars are scaled from 0, not from the minimum: spend is compared with spending nothing, so $9 next
 *   to $10 looks nearly as tall, not like a cliff.
 * - `▁` is the floor and means exactly $0. Any spend above 0 is at least `▂`: the range (0, max] is cut
 *   into seven equal bins, `▂` … `█` (a value v shows level ⌈7·v/max⌉). So a quiet hour never looks
 *   like an idle one, and the line has no gaps (a blank would read as missing data, and some
 *   terminals trim trailing blanks). All zeros print all `▁`; no values print ''.
 * - Negative or non-finite values (not spend) are drawn as 0.
 */
const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
const TOP = BLOCKS.length - 1;

export function sparkline(values: readonly number[]): string {
  const clean = values.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const max = clean.reduce((a, b) => Math.max(a, b), 0);
  // v·7 before dividing keeps whole-nano boundaries exact (2/7 of max is level 2, not 3).
  return clean.map((v) => BLOCKS[v === 0 ? 0 : Math.min(TOP, Math.ceil((v * TOP) / max))]).join('');
}
