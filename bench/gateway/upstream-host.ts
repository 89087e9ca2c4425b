import { fork } from 'node:child_process';
import { join } from 'node:path';
import { type FakeUpstream, startFakeUpstream } from './fake-upstream.js';

/** Where the fake upstream runs: in the bench's own process, or in a child process of its own. */
export type UpstreamPlace = 'in-process' | 'child';

export const UPSTREAM_PLACES: readonly UpstreamPlace[] = ['in-process', 'child'];

/** Starts the fake upstream at `place`; a child is `dist/bench-upstream.mjs` beside the bench bundle. */
export function startUpstream(place: UpstreamPlace, distDir: string): Promise<FakeUpstream> {
  return place === 'in-process' ? startFakeUpstream() : startChildUpstream(join(distDir, 'bench-upstream.mjs'));
}

type Reply = { port: number } | { id: number; value?: unknown; error?: string };

function startChildUpstream(script: string): Promise<FakeUpstream> {
  const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 0;
  const ask = (op: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      child.send({ id, op });
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      reject(new Error(`the bench upstream exited with ${code} before it listened`));
      for (const w of waiting.values()) w.reject(new Error(`the bench upstream exited with ${code}`));
    });
    child.on('message', (reply: Reply) => {
      if ('port' in reply) {
        resolve({
          port: reply.port,
          hold: async (on) => void (await ask(on ? 'hold' : 'release')),
          openStreams: async () => (await ask('open')) as number,
          close: async () => {
            child.send({ id: 0, op: 'close' });
            await exited;
          },
        });
        return;
      }
      const w = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (reply.error !== undefined) w?.reject(new Error(reply.error));
      else w?.resolve(reply.value);
    });
  });
}
