import { Agent, request } from 'node:http';
import type { FakeUpstream } from './fake-upstream.js';
import type { Target } from './load.js';
import { residentMb } from './service.js';

/** How many streams are opened at once while the upstream holds them (the listen backlog is 511). */
const OPEN_BATCH = 100;
const SAMPLE_EVERY_MS = 100;
const SAMPLES = 10;
/** How long the streams may take to start, and to finish once let go: a server that stalls fails the measure. */
const BOUND_MS = 60_000;

/** `work`, or an error saying what did not happen within `BOUND_MS`. */
async function within<T>(work: Promise<T>, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what()} within ${BOUND_MS / 1000} s`)), BOUND_MS);
  });
  try {
    return await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}

interface OpenStream {
  firstByte: Promise<void>;
  ended: Promise<void>;
}

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  void promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Streams that got their first byte (all runs of this process). */
let started = 0;

function openStream(agent: Agent, target: Target, body: Buffer): OpenStream {
  const first = deferred();
  void first.promise.then(
    () => started++,
    () => {},
  );
  const end = deferred();
  const fail = (error: Error): void => {
    first.reject(error);
    end.reject(error);
  };
  const headers = { ...target.headers, 'content-type': 'application/json', 'content-length': String(body.length) };
  const req = request({ agent, host: '127.0.0.1', port: target.port, path: target.path, method: 'POST', headers }, (res) => {
    if (res.statusCode !== 200) fail(new Error(`${target.name} answered ${res.statusCode} to an open stream`));
    res.on('data', () => first.resolve());
    res.on('end', () => end.resolve());
    res.on('error', fail);
  });
  req.on('error', (error) => fail(new Error(`${target.name}: ${error.message}`)));
  req.end(body);
  return { firstByte: first.promise, ended: end.promise };
}

/**
 * Resident memory of the server `pid` (behind `target`) while `count` streams pass through it at
 * once, the upstream sending each a chunk every 100 ms: the peak of `VmRSS` sampled over a
 * second once every stream has its first byte, and the process's own peak (`VmHWM`) after.
 */
export async function memoryWithOpenStreams(target: Target, pid: number, upstream: FakeUpstream, count: number): Promise<{ baseMb: number; rssMb: number; peakMb: number }> {
  const baseMb = residentMb(pid).rssMb;
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const body = Buffer.from(JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Stream slowly.' }], max_tokens: 64, stream: true, stream_options: { include_usage: true } }));
  await upstream.hold(true);
  const streams: OpenStream[] = [];
  try {
    const before = started;
    let abandoned = false;
    const opening = (async () => {
      for (let opened = 0; opened < count && !abandoned; opened += OPEN_BATCH) {
        const batch = Array.from({ length: Math.min(OPEN_BATCH, count - opened) }, () => openStream(agent, target, body));
        streams.push(...batch);
        await Promise.all(batch.map((s) => s.firstByte));
      }
    })();
    void opening.catch(() => {});
    await within(opening, () => `only ${started - before} of ${count} streams through ${target.name} got their first byte`).finally(() => {
      abandoned = true;
    });
    let rssMb = 0;
    for (let i = 0; i < SAMPLES; i++) {
      rssMb = Math.max(rssMb, residentMb(pid).rssMb);
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
    const open = await upstream.openStreams();
    if (open < count) throw new Error(`only ${open} of ${count} streams were open at the upstream`);
    await upstream.hold(false);
    await within(Promise.all(streams.map((s) => s.ended)), () => `the ${count} streams through ${target.name} did not all end`);
    return { baseMb, rssMb, peakMb: residentMb(pid).peakMb };
  } finally {
    await upstream.hold(false);
    agent.destroy();
  }
}
