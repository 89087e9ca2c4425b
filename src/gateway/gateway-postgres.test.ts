import { afterEach, describe, expect, it } from 'vitest';
import { postgresTestLocation } from '../ledger/engines/postgres/test-schema.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { type AnthropicScenario, fakeAnthropic } from '../testing/fake-upstreams/anthropic.js';
import type { FakeServer } from '../testing/fake-upstreams/fake-server.js';
import { GatewayRig, RIG_NAMESPACE } from '../testing/gateway-rig.js';
import type { Prepared } from './provider.js';
import { providerFor } from './providers/index.js';
import { reservationFor } from './reservation.js';

const UPSTREAM_KEY = 'sk-ant-upstream-credential';
const BODY = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 2000, stream: true, messages: [{ role: 'user', content: 'hello' }] });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('two gateways sharing one PostgreSQL ledger', () => {
  it('of N concurrent requests for one key spread over both, admit exactly as many as fit', async () => {
    const prepared = providerFor('anthropic').route('POST', '/v1/messages')?.prepare?.(Buffer.from(BODY)) as Prepared;
    const amount = reservationFor(await new Pricer(new PriceOverrides({})).table(), 'anthropic', prepared, Buffer.byteLength(BODY), Date.now());
    if (!('amountNanos' in amount)) throw new Error('unpriced');
    const pg = await postgresTestLocation();
    cleanups.push(() => pg.drop());
    let resume = (): void => {};
    const held = new Promise<void>((resolve) => (resume = resolve));
    const fake: FakeServer<AnthropicScenario> = await fakeAnthropic(UPSTREAM_KEY, { usage: { input: 10, output: 5 }, pauseAfter: 0, resume: held });
    cleanups.push(() => fake.close());
    const config = { upstreams: { anthropic: { baseUrl: fake.url, apiKey: UPSTREAM_KEY } } };
    // Room for four reservations and a half.
    const first = await GatewayRig.start({ config, location: pg.location, keys: [{ name: 'team', budgetUsd: (4.5 * amount.amountNanos) / 1e9 }] });
    cleanups.push(() => first.close());
    const second = await GatewayRig.start({ config, location: pg.location });
    cleanups.push(() => second.close());
    const secret = first.secret('team');
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        fetch(`${(i % 2 === 0 ? first : second).url}/v1/messages`, {
          method: 'POST',
          headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
          body: BODY,
        }),
      ),
    );
    const bodies = responses.map((r) => r.text());
    expect(responses.filter((r) => r.status === 200)).toHaveLength(4);
    expect(responses.filter((r) => r.status === 402)).toHaveLength(8);
    expect(fake.requests).toHaveLength(4);
    resume();
    await Promise.all(bodies);
    await first.events('team');
    const events = await second.events('team');
    expect(events).toHaveLength(4);
    expect(await first.ledger.reservedNanos(RIG_NAMESPACE)).toEqual(new Map());
    const [meter] = await second.ledger.keyMeters(RIG_NAMESPACE, ['team']);
    expect(meter?.promptCount).toBe(4);
  });
});
