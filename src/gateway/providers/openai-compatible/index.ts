import type { Provider } from '../../provider.js';
import { openAiStyle } from '../openai/api.js';

/**
 * An OpenAI-compatible server (OpenRouter, Groq, a local server) configured under `name`: OpenAI's
 * routes and usage, priced under that name, with the base URL and credential its config sets.
 */
export function openAiCompatible(name: string): Provider {
  return openAiStyle({ kind: 'openai-compatible', pricingProvider: name, defaultBaseUrl: undefined, credentialEnv: undefined });
}
