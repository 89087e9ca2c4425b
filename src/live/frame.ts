import { lineText, textWidth, type Line, type Tone } from './line.js';
import type { TerminalSize } from './layout.js';

const CSI = '\u001b[';

/** Alternate screen, cursor hidden, line wrap off: entering the view. */
export const ENTER = `${CSI}?1049h${CSI}?25l${CSI}?7l${CSI}H${CSI}2J`;
/** Line wrap on, cursor shown, normal screen back: leaving it, whatever happened. */
export const LEAVE = `${CSI}0m${CSI}?7h${CSI}?25h${CSI}?1049l`;

const TONES: Record<Tone, [string, string]> = {
  plain: ['', ''],
  title: ['1', '22'],
  dim: ['2', '22'],
  good: ['32', '39'],
  note: ['36', '39'],
  warn: ['33', '39'],
  bad: ['31', '39'],
  stop: ['1;31', '22;39'],
};

function paint(line: Line, color: boolean): string {
  if (!color) return lineText(line);
  return line.map((s) => (s.tone === 'plain' || s.text === '' ? s.text : `${CSI}${TONES[s.tone][0]}m${s.text}${CSI}${TONES[s.tone][1]}m`)).join('');
}

/**
 * One frame as a single write: each line drawn over the last frame's at its row, the rest of a
 * shorter line cleared, rows below the last line cleared. Nothing is blanked first, so nothing flickers.
 */
export function frame(lines: readonly Line[], size: TerminalSize, color: boolean): string {
  let out = '';
  lines.slice(0, size.rows).forEach((line, i) => {
    out += `${CSI}${i + 1};1H${paint(line, color)}`;
    if (textWidth(lineText(line)) < size.columns) out += `${CSI}K`;
  });
  if (lines.length < size.rows) out += `${CSI}${lines.length + 1};1H${CSI}J`;
  return out;
}
