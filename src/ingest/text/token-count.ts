/**
 * Whole token counts as CLIs print them: `1234`, or grouped by threes with one separator used
 * throughout (`1,234,567`, `1_234`, `1'234`, `1 234` with a narrow no-break space). Anything else
 * (`1,23`, `1.2k`, `12a`, `-5`) is not an exact count and reads as undefined.
 */
const PLAIN = /^\d+$/;
const GROUPED = /^\d{1,3}(?:([,_'\u202f\u00a0])\d{3})(?:\1\d{3})*$/;

export function parseTokenCount(text: string): number | undefined {
  if (!PLAIN.test(text) && !GROUPED.test(text)) return undefined;
  const value = Number(text.replace(/\D/g, ''));
  return Number.isSafeInteger(value) ? value : undefined;
}
