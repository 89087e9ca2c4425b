/**
 * What a service tier costs, per model, as multipliers of the model's standard rates. A multiplier
 * applies to every bucket (input, output, cache writes, cache reads) and to the long-context rates
 * too, so cache and long-context pricing stay in proportion. Config overrides (`serviceTiers`) win
 * over these lines; a tier with no line for a model is priced at standard rates and flagged.
 *
 * Bump CORRECTIONS_VERSION (corrections.ts) when a line changes: prices already recorded are then
 * stale and `reprice` updates them (events keep the tier they were recorded with).
 */
export interface ServiceTierRule {
  /** The tier as stored on events (see core/service-tier.ts). */
  tier: string;
  /** Matched against the logged model name and the name it is priced as. */
  models: RegExp;
  /** Of the standard rates; at most three decimals. */
  multiplier: number;
  /** Where the figure comes from, for `tokenledger prices`. */
  source: string;
}

/** A model name as logged or as a catalog spells it: bare, dated, or behind a cloud prefix. */
const name = (stem: string): RegExp => new RegExp(`(?:^|[./])${stem}(?:$|[-@:](?:\\d{8}|v\\d)|-fast$)`, 'i');

const ANTHROPIC_FAST = "Anthropic's fast-mode pricing";
const OPENAI_TIERS = "OpenAI's flex and priority processing prices";

export const SERVICE_TIER_RULES: readonly ServiceTierRule[] = [
  // Fast mode (Claude Code `/fast`, logged as usage.speed "fast").
  { tier: 'fast', models: name('claude-opus-4[-.]6'), multiplier: 6, source: `${ANTHROPIC_FAST}: Opus 4.6 fast $30/$150 per MTok, 6x $5/$25` },
  { tier: 'fast', models: name('claude-opus-4[-.]7'), multiplier: 6, source: `${ANTHROPIC_FAST}: Opus 4.7 fast $30/$150 per MTok, 6x $5/$25` },
  { tier: 'fast', models: name('claude-opus-4[-.]8'), multiplier: 2, source: `${ANTHROPIC_FAST}: Opus 4.8 fast $10/$50 per MTok, 2x $5/$25` },
  { tier: 'fast', models: name('claude-opus-5'), multiplier: 2, source: `${ANTHROPIC_FAST}: Opus 5 fast $10/$50 per MTok, 2x $5/$25` },
  // OpenAI service_tier. Flex is half price on the models that offer it.
  { tier: 'flex', models: /(?:^|[./])(?:gpt-5|o3|o4-mini)/i, multiplier: 0.5, source: `${OPENAI_TIERS}: flex at half the standard rates` },
  // Priority is about twice standard on GPT-5 and o3 (an approximation: some smaller models list 1.75-1.8x).
  { tier: 'priority', models: /(?:^|[./])(?:gpt-5|o3|o4-mini)/i, multiplier: 2, source: `${OPENAI_TIERS}: priority at about twice the standard rates (approximation)` },
  // Codex's `/fast` asks OpenAI for the priority tier.
  { tier: 'fast', models: /(?:^|[./])(?:gpt-5|o3|o4-mini)/i, multiplier: 2, source: `${OPENAI_TIERS}: Codex fast mode is the priority tier, about twice the standard rates (approximation)` },
  // Batch APIs (Anthropic, OpenAI, Google) bill half the standard rates.
  { tier: 'batch', models: /./, multiplier: 0.5, source: 'batch API pricing of Anthropic, OpenAI and Google: half the standard rates' },
];

/** The rule for a tier and model, trying each name the model goes by. */
export function serviceTierRule(tier: string, names: readonly string[]): ServiceTierRule | undefined {
  return SERVICE_TIER_RULES.find((rule) => rule.tier === tier && names.some((n) => rule.models.test(n)));
}
