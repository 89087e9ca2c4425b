import type { ModelPrice, Rates } from './model-price.js';
import { RATE_KEYS } from './model-price.js';

/** What a service tier costs for one model: a multiplier of the standard rates, or rates of its own. */
export type ServiceTierPrice = { multiplier: number; origin: string } | { rates: Rates; origin: string };

/**
 * The model's prices at a service tier. A multiplier scales the base and every long-context tier;
 * explicit rates replace them all (the tier is then flat). Integer picos stay integers: a multiplier
 * has at most three decimals, and a rate that is not a whole number of picos after scaling rounds
 * half up (never for the multipliers in use: 6x, 2x, and 0.5x of even pico rates).
 */
export function priceAtTier(price: ModelPrice, tier: string, tierPrice: ServiceTierPrice): ModelPrice {
  const origin = `${price.origin}; ${tier}: ${tierPrice.origin}`;
  if ('rates' in tierPrice) return { ...price, base: tierPrice.rates, tiers: [], origin };
  const thousandths = Math.round(tierPrice.multiplier * 1000);
  return {
    ...price,
    base: scaleRates(price.base, thousandths),
    tiers: price.tiers.map((t) => ({ aboveTokens: t.aboveTokens, rates: scaleRates(t.rates, thousandths) })),
    origin,
  };
}

function scaleRates(rates: Rates, thousandths: number): Rates {
  const scaled = { ...rates };
  for (const key of RATE_KEYS) scaled[key] = scaleRate(rates[key], thousandths);
  return scaled;
}

/** `picos × thousandths / 1000`, rounded half up, in integer arithmetic. */
export function scaleRate(picos: number, thousandths: number): number {
  const product = picos * thousandths;
  const rest = product % 1000;
  return (product - rest) / 1000 + (rest >= 500 ? 1 : 0);
}
