import type { Provider } from '../provider.js';
import { anthropic } from './anthropic/index.js';

/** The providers known by their upstream name. */
const BY_NAME: Readonly<Record<string, Provider>> = { anthropic };

/**
 * The provider an upstream speaks, by the upstream's configured name: `anthropic`, `openai` and
 * `gemini` are those APIs; any other name is an OpenAI-compatible server priced under that name.
 */
export function providerFor(upstreamName: string): Provider {
  const known = Object.hasOwn(BY_NAME, upstreamName) ? BY_NAME[upstreamName] : undefined;
  if (known !== undefined) return known;
  throw new Error(`no provider for the upstream "${upstreamName}" yet`);
}

/** Every provider kind, for documentation and tests. */
export const PROVIDERS: readonly Provider[] = Object.values(BY_NAME);
