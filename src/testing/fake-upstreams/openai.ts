import type { ServerResponse } from 'node:http';
import { FakeServer, freshId, jsonOf, type RecordedRequest, type StreamControl, sendJson, sseFrame } from './fake-server.js';

/** The usage the fake reports, in OpenAI's terms (prompt includes cached, completion includes reasoning). */
export interface OpenAiUsage {
  prompt?: number;
  cached?: number;
  completion?: number;
  reasoning?: number;
  /** OpenRouter's `usage.cost`, in USD credits. */
  cost?: number;
}

export interface OpenAiScenario extends StreamControl {
  usage?: OpenAiUsage;
  text?: string;
  /** The served tier (`default` when absent). */
  serviceTier?: string;
  /** The model the answer names (default: the one asked for). */
  model?: string;
  id?: string;
  /** Answer with an HTTP error (bodies as the API documents them). */
  error?: { status: number; type: string; code: string | null; message: string };
  /** Send an error in the stream after the first text delta, then end it. */
  streamError?: { type: string; code: string; message: string };
  /** Responses only: how the response ends (`completed` by default). */
  ending?: 'completed' | 'incomplete' | 'failed';
}

/**
 * A faithful OpenAI API on 127.0.0.1, under `/v1` as the SDK's base URL holds it: Chat Completions
 * (JSON; SSE chunks ending `data: [DONE]`, the usage chunk only with `stream_options.include_usage`,
 * `"usage": null` on the other chunks then), Responses (JSON; the typed event stream) and the model
 * list. Requires `Authorization: Bearer apiKey`; errors carry the API's `{ error: { … } }` shape and
 * every answer an `x-request-id`.
 */
export function fakeOpenAi(apiKey: string, defaults: OpenAiScenario = {}): Promise<FakeServer<OpenAiScenario>> {
  return new FakeServer<OpenAiScenario>(defaults, (request, scenario, response, fake) => handle(apiKey, request, scenario, response, fake)).start();
}

function handle(apiKey: string, request: RecordedRequest, scenario: OpenAiScenario, response: ServerResponse, fake: FakeServer<OpenAiScenario>): Promise<void> | void {
  const requestId = freshId('req_');
  const headers = { 'x-request-id': requestId, 'openai-processing-ms': '12' };
  const fail = (status: number, type: string, code: string | null, message: string): void => sendJson(response, status, { error: { message, type, param: null, code } }, headers);
  if (request.headers.authorization !== `Bearer ${apiKey}`)
    return fail(401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.');
  if (scenario.error !== undefined) return fail(scenario.error.status, scenario.error.type, scenario.error.code, scenario.error.message);
  const route = `${request.method} ${request.path}`;
  if (route === 'GET /v1/models') return sendJson(response, 200, { object: 'list', data: [{ id: 'gpt-5', object: 'model', created: 1_754_425_777, owned_by: 'system' }] }, headers);
  const body = jsonOf(request) as Record<string, unknown> | undefined;
  if (route !== 'POST /v1/chat/completions' && route !== 'POST /v1/responses') return fail(404, 'invalid_request_error', null, `Invalid URL (${request.method} ${request.path})`);
  if (body === undefined) return fail(400, 'invalid_request_error', null, 'We could not parse the JSON body of your request.');
  if (typeof body.model !== 'string') return fail(400, 'invalid_request_error', null, 'you must provide a model parameter');
  const answer = { ...scenario, model: scenario.model ?? body.model, text: scenario.text ?? 'Hello from the fake.', usage: scenario.usage ?? {} };
  if (route === 'POST /v1/chat/completions') return chat(body, answer, response, headers, fake);
  return responses(body, answer, response, headers, fake);
}

type Answer = OpenAiScenario & { model: string; text: string; usage: OpenAiUsage };

function chatUsage(u: OpenAiUsage): Record<string, unknown> {
  const usage: Record<string, unknown> = {
    prompt_tokens: u.prompt ?? 0,
    completion_tokens: u.completion ?? 0,
    total_tokens: (u.prompt ?? 0) + (u.completion ?? 0),
    prompt_tokens_details: { cached_tokens: u.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  if (u.cost !== undefined) usage.cost = u.cost;
  return usage;
}

function chat(body: Record<string, unknown>, a: Answer, response: ServerResponse, headers: Record<string, string>, fake: FakeServer<OpenAiScenario>): Promise<void> | void {
  const id = a.id ?? freshId('chatcmpl-');
  const created = 1_765_000_000;
  const common = { id, object: 'chat.completion.chunk', created, model: a.model, service_tier: a.serviceTier ?? 'default', system_fingerprint: 'fp_fake' };
  if (body.stream !== true) {
    return sendJson(
      response,
      200,
      {
        id,
        object: 'chat.completion',
        created,
        model: a.model,
        choices: [{ index: 0, message: { role: 'assistant', content: a.text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
        usage: chatUsage(a.usage),
        service_tier: a.serviceTier ?? 'default',
        system_fingerprint: 'fp_fake',
      },
      headers,
    );
  }
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  const includeUsage = options?.include_usage === true;
  const chunk = (choices: unknown[], usage?: unknown): string => sseFrame(includeUsage ? { ...common, choices, usage: usage ?? null } : { ...common, choices });
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', ...headers });
  const frames = [chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }])];
  for (const [i, word] of a.text.split(/(?<= )/).entries()) {
    frames.push(chunk([{ index: 0, delta: { content: word }, logprobs: null, finish_reason: null }]));
    if (i === 0 && a.streamError !== undefined) {
      frames.push(sseFrame({ error: { message: a.streamError.message, type: a.streamError.type, param: null, code: a.streamError.code } }));
      return fake.stream(response, frames, a);
    }
  }
  frames.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
  if (includeUsage) frames.push(chunk([], chatUsage(a.usage)));
  frames.push('data: [DONE]\n\n');
  return fake.stream(response, frames, a);
}

function responses(body: Record<string, unknown>, a: Answer, response: ServerResponse, headers: Record<string, string>, fake: FakeServer<OpenAiScenario>): Promise<void> | void {
  const id = a.id ?? freshId('resp_');
  const messageId = freshId('msg_');
  const ending = a.ending ?? 'completed';
  const u = a.usage;
  const usage: Record<string, unknown> = {
    input_tokens: u.prompt ?? 0,
    input_tokens_details: { cached_tokens: u.cached ?? 0 },
    output_tokens: u.completion ?? 0,
    output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 },
    total_tokens: (u.prompt ?? 0) + (u.completion ?? 0),
  };
  if (u.cost !== undefined) usage.cost = u.cost;
  const part = { type: 'output_text', text: a.text, annotations: [], logprobs: [] };
  const item = { id: messageId, type: 'message', status: ending === 'completed' ? 'completed' : 'incomplete', role: 'assistant', content: [part] };
  const object = (status: string, done: boolean): Record<string, unknown> => ({
    id,
    object: 'response',
    created_at: 1_765_000_000,
    status,
    background: false,
    error: done && ending === 'failed' ? { code: 'server_error', message: 'The model failed to generate a response.' } : null,
    incomplete_details: done && ending === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: a.model,
    output: done ? [item] : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: a.serviceTier ?? 'default',
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: done ? usage : null,
    user: null,
    metadata: {},
  });
  if (body.stream !== true) return sendJson(response, 200, object(ending, true), headers);

  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>): string => sseFrame({ type, sequence_number: sequence++, ...data }, type);
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', ...headers });
  const frames = [
    event('response.created', { response: object('in_progress', false) }),
    event('response.in_progress', { response: object('in_progress', false) }),
    event('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }),
    event('response.content_part.added', { item_id: messageId, output_index: 0, content_index: 0, part: { ...part, text: '' } }),
  ];
  for (const [i, word] of a.text.split(/(?<= )/).entries()) {
    frames.push(event('response.output_text.delta', { item_id: messageId, output_index: 0, content_index: 0, delta: word, logprobs: [] }));
    if (i === 0 && a.streamError !== undefined) {
      frames.push(event('error', { code: a.streamError.code, message: a.streamError.message, param: null }));
      return fake.stream(response, frames, a);
    }
  }
  frames.push(
    event('response.output_text.done', { item_id: messageId, output_index: 0, content_index: 0, text: a.text, logprobs: [] }),
    event('response.content_part.done', { item_id: messageId, output_index: 0, content_index: 0, part }),
    event('response.output_item.done', { output_index: 0, item }),
    event(`response.${ending}`, { response: object(ending, true) }),
  );
  return fake.stream(response, frames, a);
}
