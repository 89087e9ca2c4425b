import type { IncomingHttpHeaders } from 'node:http';
import type { Provider } from '../../provider.js';
import { bearer, passthrough, routeTable } from '../../route-table.js';
import { chatCompletions } from './chat.js';
import { responses } from './responses.js';

/** How one OpenAI-style upstream differs from another. */
export interface OpenAiStyle {
  kind: string;
  pricingProvider: string;
  defaultBaseUrl: string | undefined;
  credentialEnv: string | undefined;
}

/**
 * An upstream speaking OpenAI's API (paths relative to the SDK's base URL, which holds `/v1`): Chat
 * Completions and Responses metered, the model list passed through; keys as bearer tokens.
 */
export function openAiStyle(style: OpenAiStyle): Provider {
  const chat = chatCompletions(style.pricingProvider);
  const respond = responses(style.pricingProvider);
  return {
    ...style,
    credentialHeaders: ['authorization'],
    credentialParams: [],
    clientKey: (headers: IncomingHttpHeaders) => bearer(headers.authorization),
    upstreamAuth: (credential) => ({ authorization: `Bearer ${credential}` }),
    route: routeTable([
      { method: 'POST', path: /^\/v1\/chat\/completions$/, operation: () => chat },
      { method: 'POST', path: /^\/v1\/responses$/, operation: () => respond },
      { method: 'GET', path: /^\/v1\/models$/, operation: () => passthrough('models', '/models') },
      { method: 'GET', path: /^\/v1\/models\/([^/]+)$/, operation: (m) => passthrough('models', `/models/${m[1]}`) },
    ]),
  };
}
