import { serviceTierOf } from '../../../core/service-tier.js';
import type { MeteredUsage, Operation, Prepared, PrepareError } from '../../provider.js';
import { maxTokens, RequestFields } from '../../request-fields.js';
import { readResponse, type StreamUsage } from '../../response-reader.js';
import type { SseEvent } from '../../sse-lines.js';
import { isRecord, jsonObject } from '../../token-count.js';
import { type Answer, metered, responsesTokens } from './usage.js';

const FIELDS = new RequestFields(['model', 'stream', 'max_output_tokens', 'service_tier']);
/** The stream events whose `response` carries the final usage. */
const FINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** `POST /responses`: usage from the response object, or from the stream's final event. */
export function responses(pricingProvider: string): Operation {
  return {
    name: 'responses',
    upstreamPath: '/responses',
    prepare(body: Buffer): Prepared | PrepareError {
      const request = FIELDS.readModelRequest(body);
      if ('error' in request) return request;
      const { fields, model, stream } = request;
      const prepared: Prepared = {
        model,
        stream,
        body,
        maxOutputTokens: maxTokens(fields.get('max_output_tokens')),
        reader: (status, headers) =>
          readResponse(status, headers, {
            json: (response) => usageOf(pricingProvider, model, response),
            sse: () => new ResponsesStream(pricingProvider, model),
          }),
      };
      const tier = serviceTierOf(fields.get('service_tier'));
      if (tier !== undefined) prepared.serviceTier = tier;
      return prepared;
    },
  };
}

function usageOf(pricingProvider: string, model: string, response: unknown): MeteredUsage | undefined {
  if (!isRecord(response) || !isRecord(response.usage)) return undefined;
  const answer: Answer = { id: response.id, model: response.model, serviceTier: response.service_tier, tokens: responsesTokens(response.usage), cost: response.usage.cost };
  return metered(pricingProvider, model, answer);
}

class ResponsesStream implements StreamUsage {
  readonly strips = false;
  readonly #pricingProvider: string;
  readonly #model: string;
  #usage: MeteredUsage | undefined;

  constructor(pricingProvider: string, model: string) {
    this.#pricingProvider = pricingProvider;
    this.#model = model;
  }

  /** The final events; `message` too, for servers that name events only inside their data. */
  wants(type: string): boolean {
    return FINAL.has(type) || type === 'message';
  }

  event(event: SseEvent): boolean {
    if (event.oversized || !this.wants(event.type)) return true;
    const data = jsonObject(event.data);
    if (data !== undefined && typeof data.type === 'string' && FINAL.has(data.type)) {
      this.#usage = usageOf(this.#pricingProvider, this.#model, data.response) ?? this.#usage;
    }
    return true;
  }

  end(): MeteredUsage | undefined {
    return this.#usage;
  }
}
