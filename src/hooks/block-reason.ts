import { formatUsd } from '../core/money.js';
import type { BudgetStatus } from '../budgets/evaluate.js';
import { shellWord } from './shell-word.js';

/** Flags the user's own `tokenledger budget …` must repeat to reach the same budgets. */
export interface BudgetCommandFlags {
  namespace?: string;
  db?: string;
}

/**
 * The reason Claude Code shows when the guard blocks: each budget used up (scope, period,
 * spent of the limit, which period) and the commands that raise or remove it.
 */
export function blockReason(used: readonly BudgetStatus[], flags: BudgetCommandFlags): string {
  const extra = [...(flags.namespace === undefined ? [] : ['--namespace', shellWord(flags.namespace)]), ...(flags.db === undefined ? [] : ['--db', shellWord(flags.db)])];
  const lines = [`tokenledger: blocked, ${used.length === 1 ? 'a budget is' : `${used.length} budgets are`} used up (HARD_STOP):`];
  for (const s of used) {
    const pct = Number.isFinite(s.utilizationPct) ? `${s.utilizationPct.toFixed(1)}%` : 'over';
    lines.push(`- ${s.budget.scope} ${s.budget.period} (namespace ${s.budget.namespace}): ${formatUsd(s.spentNanos)} of ${formatUsd(s.budget.amountNanos)}, ${pct}, period ${s.window.key}`);
  }
  for (const s of used) {
    const which = ['--period', shellWord(s.budget.period), '--scope', shellWord(s.budget.scope), ...extra].join(' ');
    lines.push(`To go on, raise it: tokenledger budget set <usd> ${which}`);
    lines.push(`  or remove it: tokenledger budget remove ${which}`);
  }
  return `${lines.join('\n')}\n`;
}
