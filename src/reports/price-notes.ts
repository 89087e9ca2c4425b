import { terminalText } from '../core/terminal-text.js';
import type { ReportContext } from './report.js';

/**
 * Notes about prices (`ctx.note`): models without one, service tiers without one, and costs
 * computed with older prices. A note's second line says what to do about it.
 */
export async function warnAboutPrices(ctx: Pick<ReportContext, 'loaded' | 'ledger' | 'pricer' | 'now' | 'note'>, unpricedModels: readonly string[]): Promise<void> {
  if (unpricedModels.length > 0) {
    const where = ctx.loaded.exists ? ctx.loaded.path : `${ctx.loaded.path} (create it)`;
    ctx.note(
      `no price is known for ${unpricedModels.map(terminalText).join(', ')}; their tokens are counted, their cost as $0 (marked *).\n` +
        `Add a price under "prices" in ${where}, then run \`tokenledger reprice\`.`,
    );
  }
  const tiers = await ctx.ledger.serviceTierUses();
  if (tiers.length > 0) {
    const table = await ctx.pricer.table();
    const unknown = tiers.filter((t) => table.priceAt(t.model, t.provider, ctx.now(), t.serviceTier)?.known === false);
    if (unknown.length > 0) {
      ctx.note(
        `no price is known for ${unknown.map((t) => `${t.model} at the ${t.serviceTier} tier (${t.events} events)`).join(', ')}; they are priced at standard rates.\n` +
          `Add one under "prices" → "serviceTiers" in ${ctx.loaded.path}, then run \`tokenledger reprice\`.`,
      );
    }
  }
  if (!ctx.ledger.readOnly && (await ctx.ledger.hasStale(await ctx.ledger.priceVersionId(ctx.pricer.versionLabel)))) {
    ctx.note('some events were priced with earlier prices (or overrides); run `tokenledger reprice` to update them.');
  }
}
