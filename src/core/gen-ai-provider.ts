/**
 * The ledger's provider ids and the GenAI semantic conventions' `gen_ai.provider.name` values: one
 * table, read both ways. The OTLP export names a provider as the conventions do where they have a
 * well-known value (Google's Gemini API is `gcp.gemini`); the OTLP intake files a conventions name
 * back under the ledger's id, the one pricing resolves. Every other id is the same on both sides.
 */

/** Ledger id → conventions name. Two ids of one name (`google`, `gemini`): the first comes back. */
const TO_GEN_AI: readonly (readonly [string, string])[] = [
  ['google', 'gcp.gemini'],
  ['gemini', 'gcp.gemini'],
  ['mistral', 'mistral_ai'],
  ['xai', 'x_ai'],
];

const OUT = new Map<string, string>(TO_GEN_AI);
const BACK = new Map<string, string>();
for (const [ours, theirs] of TO_GEN_AI) if (!BACK.has(theirs)) BACK.set(theirs, ours);

/** `gen_ai.provider.name` for a ledger provider id. */
export function genAiProvider(provider: string): string {
  return OUT.get(provider) ?? provider;
}

/** The ledger provider id for a `gen_ai.provider.name` value. */
export function ledgerProvider(genAiName: string): string {
  return BACK.get(genAiName) ?? genAiName;
}
