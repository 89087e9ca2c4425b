import { badArgument } from '../../core/errors.js';
import type { ModelPrice } from '../../pricing/model-price.js';

/** `--provider` as the catalog names providers; an unknown one is refused, naming the known ones. */
export function knownProvider(text: string, known: readonly string[]): string {
  const id = text.trim().toLowerCase();
  if (known.includes(id)) return id;
  throw badArgument(`--provider "${text}" is not a provider the price catalog knows; known providers: ${[...known].sort().join(', ')}`);
}

/**
 * What `--at` can and cannot say: the catalog lists when a price period starts, not when a model
 * was released (its first period never has a start date), so prices with no start date are the
 * earliest known ones: for a day before them, what the model cost (or whether it existed) is not known.
 */
export function pricesBeforeNote(model: string, price: ModelPrice, atText: string): string {
  if (price.validFrom !== undefined) return '';
  if (price.provider === 'config') return `note: config prices have no start date; they are shown for ${atText} as for any day.\n`;
  return `note: the catalog gives no start date for these prices of ${model}, so they are its earliest known prices; prices before them are not known (on ${atText} ${model} may not have existed yet, or cost something else).\n`;
}
