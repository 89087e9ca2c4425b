import { allAccepted, exporterAgent, post } from './post.js';
import type { Format } from './bodies.js';

export interface Latencies {
  receiver: number[];
  bare: number[];
}

/**
 * One export request at a time, the same client and bodies, to the receiver and to the bare server
 * in turns (which goes first alternates): milliseconds from sending to the answer's last byte.
 */
export async function pairedLatencies(receiverUrl: string, bareUrl: string, bodies: readonly Buffer[], format: Format): Promise<Latencies> {
  const agents = { receiver: exporterAgent(), bare: exporterAgent() };
  const result: Latencies = { receiver: [], bare: [] };
  const timed = async (which: 'receiver' | 'bare', url: string, body: Buffer): Promise<void> => {
    const started = performance.now();
    const answer = await post(agents[which], url, body, format);
    const ms = performance.now() - started;
    if (which === 'receiver' && !allAccepted(answer, format)) throw new Error(`the receiver answered ${answer.status} ${answer.body.toString().slice(0, 200)}`);
    result[which].push(ms);
  };
  try {
    for (let i = 0; i < bodies.length; i++) {
      const body = bodies[i]!;
      if (i % 2 === 0) {
        await timed('bare', bareUrl, body);
        await timed('receiver', receiverUrl, body);
      } else {
        await timed('receiver', receiverUrl, body);
        await timed('bare', bareUrl, body);
      }
    }
  } finally {
    agents.receiver.destroy();
    agents.bare.destroy();
  }
  return result;
}

/** The `p`th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
