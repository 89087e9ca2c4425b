import { allAccepted, exporterAgent, post } from './post.js';
import type { Format } from './bodies.js';

export interface IngestRate {
  eventsPerSecond: number;
  requestsPerSecond: number;
  events: number;
  requests: number;
}

/**
 * Sends `bodies` (`perRequest` new events each) from `clients` exporters at once, each one request
 * at a time on its own kept-alive connection as an exporter does, until all are sent or `ms` pass.
 * Every answer must be a full success: a refused or partly taken request fails the bench.
 */
export async function ingestRate(url: string, bodies: readonly Buffer[], perRequest: number, format: Format, clients: number, ms: number): Promise<IngestRate> {
  let next = 0;
  let requests = 0;
  const started = performance.now();
  const client = async (): Promise<void> => {
    const agent = exporterAgent();
    try {
      while (next < bodies.length && performance.now() - started < ms) {
        const body = bodies[next++]!;
        const answer = await post(agent, url, body, format);
        if (!allAccepted(answer, format)) throw new Error(`the receiver answered ${answer.status} ${answer.body.toString().slice(0, 200)}`);
        requests += 1;
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: (requests * perRequest) / seconds, requestsPerSecond: requests / seconds, events: requests * perRequest, requests };
}
