import { startFakeUpstream } from './fake-upstream.js';

/**
 * The bench upstream in a process of its own (`dist/bench-upstream.mjs`, started by
 * `upstream-host.ts`): answers `{ id, op }` messages from its parent with `{ id, value }`; `close`
 * closes the server and the channel, and the process ends.
 */
type Request = { id: number; op: 'hold' | 'release' | 'open' | 'close' };

const upstream = await startFakeUpstream();
process.send?.({ port: upstream.port });
process.on('message', (message: Request) => {
  if (message.op === 'close') {
    void upstream.close().then(() => process.disconnect());
    return;
  }
  const run = async (): Promise<unknown> => {
    if (message.op === 'hold') return upstream.hold(true);
    if (message.op === 'release') return upstream.hold(false);
    return upstream.openStreams();
  };
  run().then(
    (value) => process.send?.({ id: message.id, value }),
    (error: Error) => process.send?.({ id: message.id, error: error.message }),
  );
});
