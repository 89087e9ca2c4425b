import type { IncomingHttpHeaders } from 'node:http';
import type { Operation, Prepared, PrepareError, Provider } from '../../provider.js';
import { maxTokens, RequestFields } from '../../request-fields.js';
import { readResponse } from '../../response-reader.js';
import { bearer, headerValue, passthrough, routeTable } from '../../route-table.js';
import { messagesFormat } from './usage.js';

const FIELDS = new RequestFields(['model', 'stream', 'max_tokens', 'speed']);

/** `POST /v1/messages`: metered; the model, stream flag, `max_tokens` and fast mode read from the body. */
const messages: Operation = {
  name: 'messages',
  upstreamPath: '/v1/messages',
  prepare(body: Buffer): Prepared | PrepareError {
    const request = FIELDS.readModelRequest(body);
    if ('error' in request) return request;
    const { fields, model, stream } = request;
    const prepared: Prepared = {
      model,
      stream,
      body,
      maxOutputTokens: maxTokens(fields.get('max_tokens')),
      reader: (status, headers) => readResponse(status, headers, messagesFormat(model, headers)),
    };
    if (fields.get('speed') === 'fast') prepared.serviceTier = 'fast';
    return prepared;
  },
};

/** Anthropic's Messages API, as `@anthropic-ai/sdk` and Claude Code call it (base URL without `/v1`). */
export const anthropic: Provider = {
  kind: 'anthropic',
  pricingProvider: 'anthropic',
  defaultBaseUrl: 'https://api.anthropic.com',
  credentialEnv: 'ANTHROPIC_API_KEY',
  credentialHeaders: ['x-api-key', 'authorization'],
  credentialParams: [],
  clientKey: (headers: IncomingHttpHeaders) => headerValue(headers['x-api-key']) ?? bearer(headers.authorization),
  upstreamAuth: (credential) => ({ 'x-api-key': credential }),
  route: routeTable([
    { method: 'POST', path: /^\/v1\/messages$/, operation: () => messages },
    { method: 'POST', path: /^\/v1\/messages\/count_tokens$/, operation: () => passthrough('count_tokens', '/v1/messages/count_tokens') },
    { method: 'GET', path: /^\/v1\/models$/, operation: () => passthrough('models', '/v1/models') },
    { method: 'GET', path: /^\/v1\/models\/([^/]+)$/, operation: (m) => passthrough('models', `/v1/models/${m[1]}`) },
  ]),
};
