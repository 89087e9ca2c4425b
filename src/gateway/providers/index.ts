import type { Provider } from '../provider.js';
import { anthropic } from './anthropic/index.js';
import { gemini } from './gemini/index.js';
import { openai } from './openai/index.js';
import { openAiCompatible } from './openai-compatible/index.js';

/** The providers known by their upstream name; any other name is an OpenAI-compatible upstream. */
const BY_NAME: ReadonlyMap<string, Provider> = new Map([
  ['anthropic', anthropic],
  ['openai', openai],
  ['gemini', gemini],
]);

const compatible = new Map<string, Provider>();

/**
 * The provider an upstream speaks, by the upstream's configured name: `anthropic`, `openai` and
 * `gemini` are those APIs; any other name is an OpenAI-compatible server priced under that name.
 */
export function providerFor(upstreamName: string): Provider {
  const known = BY_NAME.get(upstreamName) ?? compatible.get(upstreamName);
  if (known !== undefined) return known;
  const made = openAiCompatible(upstreamName);
  compatible.set(upstreamName, made);
  return made;
}

/** The named providers, for documentation and tests. */
export const PROVIDERS: readonly Provider[] = [...BY_NAME.values()];
