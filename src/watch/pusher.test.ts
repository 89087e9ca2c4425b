import { describe, expect, it } from 'vitest';
import { Pusher } from './pusher.js';

/** Resolves once `condition` holds (polled on the event loop, no fixed wait). */
const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe('Pusher', () => {
  it('pushes once per burst of changes, never two at a time', async () => {
    let running = 0;
    let most = 0;
    let pushes = 0;
    let release = (): void => {};
    const pusher = new Pusher({
      push: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => (release = resolve));
        running -= 1;
        pushes += 1;
      },
      onTrouble: () => {},
      onRecovered: () => {},
      gapMs: 0,
      retryMs: 60_000,
    });
    pusher.request();
    await until(() => running === 1);
    pusher.request();
    pusher.request();
    release();
    await until(() => running === 1 && pushes === 1);
    release();
    await until(() => pushes === 2);
    await pusher.stop();
    expect([pushes, most]).toEqual([2, 1]);
  });

  it('says a failure once, retries on the next change or after retryMs, and says when it recovered', async () => {
    const said: string[] = [];
    let fail = true;
    let attempts = 0;
    const pusher = new Pusher({
      push: async () => {
        attempts += 1;
        if (fail) throw new Error('server down');
      },
      onTrouble: (error) => said.push(`trouble: ${(error as Error).message}`),
      onRecovered: () => said.push('recovered'),
      gapMs: 0,
      retryMs: 1,
    });
    pusher.request();
    await until(() => attempts >= 3);
    expect(said).toEqual(['trouble: server down']);
    fail = false;
    const before = attempts;
    pusher.request();
    await until(() => said.length === 2 && attempts > before);
    await pusher.stop();
    expect(said).toEqual(['trouble: server down', 'recovered']);
  });
});
