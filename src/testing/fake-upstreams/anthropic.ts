import type { ServerResponse } from 'node:http';
import { FakeServer, freshId, jsonOf, type RecordedRequest, type StreamControl, sendJson, sseFrame } from './fake-server.js';

/** The usage the fake reports (every figure optional, 0 when absent). */
export interface AnthropicUsage {
  input?: number;
  output?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
  /** False: no `cache_creation` split (as older answers). */
  split?: boolean;
  serviceTier?: string;
  /** `fast` in fast mode. */
  speed?: string;
  /** Reasoning tokens (part of `output`), reported as `output_tokens_details.thinking_tokens`. */
  thinking?: number;
}

export interface AnthropicScenario extends StreamControl {
  usage?: AnthropicUsage;
  text?: string;
  /** Answer with this HTTP error instead (statuses and types as the API documents them). */
  error?: { status: number; type: string; message: string };
  /** Send an `error` event after the first text delta, then end the stream. */
  streamError?: { type: string; message: string };
  messageId?: string;
  requestId?: string;
}

/**
 * A faithful Anthropic Messages API on 127.0.0.1: `POST /v1/messages` (JSON, or SSE with
 * `stream: true`, events as the API sends them), `POST /v1/messages/count_tokens`, `GET /v1/models`
 * and `GET /v1/models/{id}`. It requires `x-api-key` to be `apiKey` and an `anthropic-version`
 * header, answers errors in the API's shape with a `request-id` header, and records every request.
 */
export function fakeAnthropic(apiKey: string, defaults: AnthropicScenario = {}): Promise<FakeServer<AnthropicScenario>> {
  return new FakeServer<AnthropicScenario>(defaults, (request, scenario, response, fake) => handle(apiKey, request, scenario, response, fake)).start();
}

async function handle(apiKey: string, request: RecordedRequest, scenario: AnthropicScenario, response: ServerResponse, fake: FakeServer<AnthropicScenario>): Promise<void> {
  const requestId = scenario.requestId ?? freshId('req_011C');
  const fail = (status: number, type: string, message: string): void => sendJson(response, status, { type: 'error', error: { type, message }, request_id: requestId }, { 'request-id': requestId });
  const sent = request.headers['x-api-key'] ?? /^Bearer (.*)$/.exec(request.headers.authorization ?? '')?.[1];
  if (sent !== apiKey) return fail(401, 'authentication_error', 'invalid x-api-key');
  if (request.headers['anthropic-version'] === undefined) return fail(400, 'invalid_request_error', 'anthropic-version: header is required');
  if (scenario.error !== undefined) return fail(scenario.error.status, scenario.error.type, scenario.error.message);
  const body = jsonOf(request) as Record<string, unknown> | undefined;
  const route = `${request.method} ${request.path}`;
  if (route === 'GET /v1/models') {
    return sendJson(
      response,
      200,
      { data: [model('claude-sonnet-4-5-20250929')], has_more: false, first_id: 'claude-sonnet-4-5-20250929', last_id: 'claude-sonnet-4-5-20250929' },
      { 'request-id': requestId },
    );
  }
  if (request.method === 'GET' && request.path.startsWith('/v1/models/'))
    return sendJson(response, 200, model(decodeURIComponent(request.path.slice('/v1/models/'.length))), { 'request-id': requestId });
  if (route === 'POST /v1/messages/count_tokens') {
    if (body === undefined) return fail(400, 'invalid_request_error', 'invalid JSON body');
    return sendJson(response, 200, { input_tokens: scenario.usage?.input ?? 12 }, { 'request-id': requestId });
  }
  if (route !== 'POST /v1/messages') return fail(404, 'not_found_error', 'Not Found');
  if (body === undefined || typeof body.model !== 'string') return fail(400, 'invalid_request_error', 'model: Field required');
  if (typeof body.max_tokens !== 'number') return fail(400, 'invalid_request_error', 'max_tokens: Field required');

  const id = scenario.messageId ?? freshId('msg_01');
  const usage = usageOf(scenario.usage ?? {});
  const text = scenario.text ?? 'Hello from the fake.';
  if (body.stream !== true) {
    return sendJson(
      response,
      200,
      { id, type: 'message', role: 'assistant', model: body.model, content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null, usage },
      { 'request-id': requestId },
    );
  }
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId });
  const startUsage: Record<string, unknown> = { ...usage, output_tokens: Math.min(1, usage.output_tokens) };
  if (usage.output_tokens_details !== undefined) startUsage.output_tokens_details = null;
  const frames = [
    sseFrame(
      { type: 'message_start', message: { id, type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage } },
      'message_start',
    ),
    sseFrame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
    sseFrame({ type: 'ping' }, 'ping'),
  ];
  const words = text.split(/(?<= )/);
  for (const [i, word] of words.entries()) {
    frames.push(sseFrame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } }, 'content_block_delta'));
    if (i === 0 && scenario.streamError !== undefined) {
      frames.push(sseFrame({ type: 'error', error: scenario.streamError }, 'error'));
      return fake.stream(response, frames, scenario);
    }
  }
  const deltaUsage: Record<string, unknown> = {
    input_tokens: usage.input_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens,
    cache_read_input_tokens: usage.cache_read_input_tokens,
    output_tokens: usage.output_tokens,
  };
  if (usage.output_tokens_details !== undefined) deltaUsage.output_tokens_details = usage.output_tokens_details;
  frames.push(
    sseFrame({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
    sseFrame({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: deltaUsage }, 'message_delta'),
    sseFrame({ type: 'message_stop' }, 'message_stop'),
  );
  return fake.stream(response, frames, scenario);
}

function usageOf(u: AnthropicUsage): { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number } & Record<string, unknown> {
  const write5m = u.cacheWrite5m ?? 0;
  const write1h = u.cacheWrite1h ?? 0;
  const usage: { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number } & Record<string, unknown> = {
    input_tokens: u.input ?? 0,
    cache_creation_input_tokens: write5m + write1h,
    cache_read_input_tokens: u.cacheRead ?? 0,
    output_tokens: u.output ?? 0,
  };
  if (u.thinking !== undefined) usage.output_tokens_details = { thinking_tokens: u.thinking };
  if (u.split !== false) usage.cache_creation = { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h };
  usage.service_tier = u.serviceTier ?? 'standard';
  if (u.speed !== undefined) usage.speed = u.speed;
  return usage;
}

function model(id: string): Record<string, unknown> {
  return { type: 'model', id, display_name: id, created_at: '2025-09-29T00:00:00Z' };
}
