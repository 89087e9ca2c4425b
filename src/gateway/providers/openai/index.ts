import type { Provider } from '../../provider.js';
import { openAiStyle } from './api.js';

/** OpenAI's API as the `openai` SDK and Codex call it (base URL `https://api.openai.com/v1`). */
export const openai: Provider = openAiStyle({
  kind: 'openai',
  pricingProvider: 'openai',
  defaultBaseUrl: 'https://api.openai.com/v1',
  credentialEnv: 'OPENAI_API_KEY',
});
