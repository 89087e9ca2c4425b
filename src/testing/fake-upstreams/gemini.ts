import type { ServerResponse } from 'node:http';
import { FakeServer, freshId, jsonOf, type RecordedRequest, type StreamControl, sendJson } from './fake-server.js';

/** The usage the fake reports, in Gemini's terms (prompt includes cached). */
export interface GeminiUsage {
  prompt?: number;
  cached?: number;
  candidates?: number;
  thoughts?: number;
  toolUse?: number;
}

export interface GeminiScenario extends StreamControl {
  usage?: GeminiUsage;
  text?: string;
  responseId?: string;
  /** The model version the answer names (default: the model of the path). */
  modelVersion?: string;
  /** Answer with an HTTP error (`status`: the RPC status name, e.g. `RESOURCE_EXHAUSTED`). */
  error?: { code: number; status: string; message: string };
  /** Send an error object in the stream after the first chunk, then end it. */
  streamError?: { code: number; status: string; message: string };
}

/**
 * A faithful Gemini API on 127.0.0.1: `POST /v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent` (SSE with `?alt=sse`, `\r\n`-framed; else a JSON array streamed item by
 * item), `:countTokens`, and `GET /v1beta/models`. Requires the key `apiKey` in `x-goog-api-key` or
 * `?key=`; errors carry Google's `{ error: { code, message, status } }` shape.
 */
export function fakeGemini(apiKey: string, defaults: GeminiScenario = {}): Promise<FakeServer<GeminiScenario>> {
  return new FakeServer<GeminiScenario>(defaults, (request, scenario, response, fake) => handle(apiKey, request, scenario, response, fake)).start();
}

const ACTION = /^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

function handle(apiKey: string, request: RecordedRequest, scenario: GeminiScenario, response: ServerResponse, fake: FakeServer<GeminiScenario>): Promise<void> | void {
  const fail = (code: number, status: string, message: string, details?: unknown[]): void =>
    sendJson(response, code, { error: { code, message, status, ...(details === undefined ? {} : { details }) } }, { vary: 'Origin' });
  const sent = request.headers['x-goog-api-key'] ?? request.query.get('key') ?? undefined;
  if (sent === undefined)
    return fail(
      403,
      'PERMISSION_DENIED',
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    );
  if (sent !== apiKey) {
    return fail(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
    ]);
  }
  if (scenario.error !== undefined) return fail(scenario.error.code, scenario.error.status, scenario.error.message);
  if (request.method === 'GET' && /^\/(v1beta|v1)\/models$/.test(request.path)) return sendJson(response, 200, { models: [model('gemini-2.5-flash')] });
  if (request.method === 'GET' && /^\/(v1beta|v1)\/models\/[^/:]+$/.test(request.path)) return sendJson(response, 200, model(request.path.split('/').at(-1) ?? ''));
  const match = request.method === 'POST' ? ACTION.exec(request.path) : null;
  if (match === null) return fail(404, 'NOT_FOUND', `Requested entity was not found.`);
  const body = jsonOf(request);
  if (typeof body !== 'object' || body === null) return fail(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
  const modelName = decodeURIComponent(match[2] ?? '');
  const u = scenario.usage ?? {};
  if (match[3] === 'countTokens') return sendJson(response, 200, { totalTokens: u.prompt ?? 7, promptTokensDetails: [{ modality: 'TEXT', tokenCount: u.prompt ?? 7 }] });

  const responseId = scenario.responseId ?? freshId('');
  const modelVersion = scenario.modelVersion ?? modelName;
  const text = scenario.text ?? 'Hello from the fake.';
  const usageMetadata = (candidates: number, thoughts: number, done: boolean): Record<string, unknown> => {
    const usage: Record<string, unknown> = { promptTokenCount: u.prompt ?? 0 };
    if (done || candidates > 0) usage.candidatesTokenCount = candidates;
    usage.totalTokenCount = (u.prompt ?? 0) + candidates + thoughts + (u.toolUse ?? 0);
    if (u.cached !== undefined) usage.cachedContentTokenCount = u.cached;
    if (u.toolUse !== undefined) usage.toolUsePromptTokenCount = u.toolUse;
    if (u.thoughts !== undefined) usage.thoughtsTokenCount = thoughts;
    usage.promptTokensDetails = [{ modality: 'TEXT', tokenCount: u.prompt ?? 0 }];
    return usage;
  };
  const chunk = (part: string, candidates: number, thoughts: number, done: boolean): Record<string, unknown> => ({
    candidates: [{ content: { parts: [{ text: part }], role: 'model' }, ...(done ? { finishReason: 'STOP' } : {}), index: 0 }],
    usageMetadata: usageMetadata(candidates, thoughts, done),
    modelVersion,
    responseId,
  });
  if (match[3] === 'generateContent') return sendJson(response, 200, chunk(text, u.candidates ?? 0, u.thoughts ?? 0, true));

  // Streamed: thoughts come first, then the text in pieces; usage grows and the last chunk has it all.
  const words = text.split(/(?<= )/);
  const items: Record<string, unknown>[] = words.map((word, i) => {
    const last = i === words.length - 1;
    return chunk(word, last ? (u.candidates ?? 0) : Math.min(i + 1, u.candidates ?? 0), u.thoughts ?? 0, last);
  });
  const sse = request.query.get('alt') === 'sse';
  response.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'application/json; charset=UTF-8', vary: 'Origin' });
  const frames: string[] = [];
  for (const [i, item] of items.entries()) {
    frames.push(sse ? `data: ${JSON.stringify(item)}\r\n\r\n` : `${i === 0 ? '[' : '\n,\r\n'}${JSON.stringify(item, null, 2)}`);
    if (i === 0 && scenario.streamError !== undefined) {
      const error = { error: scenario.streamError };
      frames.push(sse ? `data: ${JSON.stringify(error)}\r\n\r\n` : `\n,\r\n${JSON.stringify(error, null, 2)}\n]`);
      return fake.stream(response, frames, scenario);
    }
  }
  if (!sse) frames.push('\n]');
  return fake.stream(response, frames, scenario);
}

function model(id: string): Record<string, unknown> {
  return { name: `models/${id}`, version: '001', displayName: id, inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, supportedGenerationMethods: ['generateContent', 'countTokens'] };
}
