/** Providers whose flat subscriptions tokenledger can weigh usage against. */
export const PLAN_PROVIDERS = ['anthropic', 'openai', 'google'] as const;
export type PlanProvider = (typeof PLAN_PROVIDERS)[number];

/**
 * Monthly prices of known subscription plans, USD, as each provider lists them for one person in
 * the US before tax. Prices change and differ by country: a plan not listed, or priced otherwise
 * where you live, is written in the config with `monthlyUsd`.
 */
export const KNOWN_PLANS: readonly { provider: PlanProvider; names: readonly string[]; monthlyUsd: number }[] = [
  { provider: 'anthropic', names: ['Claude Pro', 'Pro'], monthlyUsd: 20 },
  { provider: 'anthropic', names: ['Claude Max 5x', 'Max 5x', 'Max'], monthlyUsd: 100 },
  { provider: 'anthropic', names: ['Claude Max 20x', 'Max 20x'], monthlyUsd: 200 },
  { provider: 'openai', names: ['ChatGPT Plus', 'Plus'], monthlyUsd: 20 },
  { provider: 'openai', names: ['ChatGPT Pro', 'Pro'], monthlyUsd: 200 },
  { provider: 'google', names: ['Google AI Pro', 'Gemini Advanced', 'AI Pro'], monthlyUsd: 19.99 },
];

/** A known plan of `provider` by name (case and spacing ignored), with its canonical name. */
export function knownPlan(provider: PlanProvider, name: string): { name: string; monthlyUsd: number } | undefined {
  const wanted = name.toLowerCase().replace(/\s+/g, ' ').trim();
  const plan = KNOWN_PLANS.find((p) => p.provider === provider && p.names.some((n) => n.toLowerCase() === wanted));
  return plan === undefined ? undefined : { name: plan.names[0] as string, monthlyUsd: plan.monthlyUsd };
}

/** The known plan names of a provider, for messages. */
export function planNames(provider: PlanProvider): string[] {
  return KNOWN_PLANS.filter((p) => p.provider === provider).map((p) => p.names[0] as string);
}
