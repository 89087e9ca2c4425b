import type { IncomingHttpHeaders } from 'node:http';
import type { Operation, Prepared, PrepareError, Provider } from '../../provider.js';
import { maxTokens, RequestFields } from '../../request-fields.js';
import { headerValue, passthrough, routeTable } from '../../route-table.js';
import { isRecord } from '../../token-count.js';
import { geminiReader } from './usage.js';

const FIELDS = new RequestFields(['generationConfig']);

/** `:generateContent` or `:streamGenerateContent` of the model named in the path. */
function generate(name: string, path: string, model: string, stream: boolean): Operation {
  return {
    name,
    upstreamPath: path,
    prepare(body: Buffer): Prepared | PrepareError {
      const fields = FIELDS.read(body);
      if (!(fields instanceof Map)) return fields;
      const config = fields.get('generationConfig');
      return {
        model,
        stream,
        body,
        maxOutputTokens: isRecord(config) ? maxTokens(config.maxOutputTokens) : undefined,
        reader: (status, headers) => geminiReader(model, stream, status, headers),
      };
    },
  };
}

/** A model name from the path, decoded; undefined when it does not decode. */
function modelOf(segment: string): string | undefined {
  try {
    const model = decodeURIComponent(segment);
    return model === '' ? undefined : model;
  } catch {
    return undefined;
  }
}

const MODEL_ACTION = /^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

/** The Gemini API (`generativelanguage.googleapis.com`) as `@google/genai` and Gemini CLI call it. */
export const gemini: Provider = {
  kind: 'gemini',
  pricingProvider: 'google',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  credentialEnv: 'GEMINI_API_KEY',
  credentialHeaders: ['x-goog-api-key', 'authorization'],
  credentialParams: ['key'],
  clientKey: (headers: IncomingHttpHeaders, query: URLSearchParams) => headerValue(headers['x-goog-api-key']) ?? (query.get('key') || undefined),
  upstreamAuth: (credential) => ({ 'x-goog-api-key': credential }),
  route: routeTable([
    {
      method: 'POST',
      path: MODEL_ACTION,
      operation: (m) => {
        const [path, , segment, action] = m as unknown as [string, string, string, string];
        if (action === 'countTokens') return passthrough('countTokens', path);
        const model = modelOf(segment);
        return model === undefined ? undefined : generate(action, path, model, action === 'streamGenerateContent');
      },
    },
    { method: 'GET', path: /^\/(v1beta|v1)\/models$/, operation: (m) => passthrough('models', m[0]) },
    { method: 'GET', path: /^\/(v1beta|v1)\/models\/[^/:]+$/, operation: (m) => passthrough('models', m[0]) },
  ]),
};
