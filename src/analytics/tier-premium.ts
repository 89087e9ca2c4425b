/**
 * What paid service tiers (fast mode, priority) cost over standard service: the recorded cost of the
 * requests served at such a tier minus the same requests at the model's standard rates. Tiers that
 * cost less than standard (flex, batch) have no premium and are left out.
 */
import { groupDigits } from '../core/money.js';
import type { TieredEventRow } from '../ledger/ledger.js';

export interface TierPremium {
  serviceTier: string;
  model: string;
  requests: number;
  recordedNanos: number;
  standardNanos: number;
  premiumNanos: number;
}

/** Recorded cost against standard cost per tier and model, the largest premium first. */
export function tierPremiums(events: readonly TieredEventRow[], standardNanos: (event: TieredEventRow) => number | undefined): TierPremium[] {
  const groups = new Map<string, TierPremium>();
  for (const e of events) {
    if (e.unpriced) continue;
    const standard = standardNanos(e);
    if (standard === undefined) continue;
    const key = `${e.serviceTier}\0${e.model}`;
    const g = groups.get(key) ?? { serviceTier: e.serviceTier, model: e.model, requests: 0, recordedNanos: 0, standardNanos: 0, premiumNanos: 0 };
    g.requests += 1;
    g.recordedNanos += e.costNanos;
    g.standardNanos += standard;
    g.premiumNanos = g.recordedNanos - g.standardNanos;
    groups.set(key, g);
  }
  return [...groups.values()].filter((g) => g.premiumNanos > 0).sort((a, b) => b.premiumNanos - a.premiumNanos || a.serviceTier.localeCompare(b.serviceTier) || a.model.localeCompare(b.model));
}

/** How a tier is named in a sentence. */
export function tierName(tier: string): string {
  return tier === 'fast' ? 'fast mode' : `the ${tier} tier`;
}

/** The recommendation's words and figures, or undefined when no tier cost more than standard. */
export function tierPremiumSummary(
  premiums: readonly TierPremium[],
): { title: string; detail: string; savingsNanos: number; evidence: { requests: number; recordedNanos: number; standardNanos: number; byModel: TierPremium[] } } | undefined {
  if (premiums.length === 0) return undefined;
  const sum = (f: (p: TierPremium) => number): number => premiums.reduce((s, p) => s + f(p), 0);
  const requests = sum((p) => p.requests);
  const tiers = [...new Set(premiums.map((p) => tierName(p.serviceTier)))];
  const names = tiers.join(' and ');
  return {
    title: `${names[0]?.toUpperCase() ?? ''}${names.slice(1)}: ${groupDigits(String(requests))} request${requests === 1 ? '' : 's'} above standard rates`,
    detail:
      `${groupDigits(String(requests))} request${requests === 1 ? ' was' : 's were'} served in ${names}, billed at a multiple of the model's standard rates; ` +
      'the saving is what the same requests would have cost at standard speed. Keep it for interactive work where waiting costs more than tokens (toggle /fast off otherwise).',
    savingsNanos: sum((p) => p.premiumNanos),
    evidence: { requests, recordedNanos: sum((p) => p.recordedNanos), standardNanos: sum((p) => p.standardNanos), byModel: [...premiums] },
  };
}
