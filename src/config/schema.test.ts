import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { validateConfig } from './schema.js';

const FILE = '/home/dev/.config/tokenledger/config.json';

/** The message validateConfig throws for `value`, after checking it is a BAD_CONFIG error naming the file. */
function problem(value: unknown): string {
  try {
    validateConfig(value, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenledgerError);
    const e = error as TokenledgerError;
    expect(e.code).toBe('BAD_CONFIG');
    expect(e.exitCode).toBe(2);
    expect(e.hint).toContain('Configuration');
    expect(e.message.startsWith(`${FILE}: `)).toBe(true);
    return e.message.slice(FILE.length + 2);
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
}

const price = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ input: 3, output: 15, ...extra });

describe('validateConfig accepts', () => {
  it('an empty file object: no settings, no prices', () => {
    expect(validateConfig({}, FILE)).toEqual({ prices: {} });
  });

  it('every setting, normalizing the weekday and keeping only known price keys', () => {
    const config = validateConfig(
      {
        $schema: 'https://example.com/tokenledger.schema.json',
        timezone: 'Europe/Berlin',
        startOfWeek: 'Monday',
        prices: {
          'claude-*': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3, tiers: [{ aboveTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6 }] },
          'local-model': { input: 0, output: 0 },
        },
      },
      FILE,
    );
    expect(config).toEqual({
      timezone: 'Europe/Berlin',
      startOfWeek: 'monday',
      prices: {
        'claude-*': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3, tiers: [{ aboveTokens: 200_000, input: 6, output: 22.5, cacheRead: 0.6 }] },
        'local-model': { input: 0, output: 0 },
      },
    });
  });

  it('an empty tier list and a tier at zero tokens', () => {
    expect(validateConfig({ prices: { m: price({ tiers: [] }) } }, FILE).prices.m?.tiers).toEqual([]);
    expect(validateConfig({ prices: { m: price({ tiers: [{ aboveTokens: 0, input: 1, output: 2 }] }) } }, FILE).prices.m?.tiers).toEqual([{ aboveTokens: 0, input: 1, output: 2 }]);
  });

  it('prices written in any key order, giving the same override fingerprint', () => {
    const a = validateConfig(JSON.parse('{"prices":{"m":{"input":1,"output":2,"cacheRead":0.1,"tiers":[{"aboveTokens":5,"input":2,"output":4}]}}}'), FILE);
    const b = validateConfig(JSON.parse('{"prices":{"m":{"tiers":[{"output":4,"input":2,"aboveTokens":5}],"cacheRead":0.1,"output":2,"input":1}}}'), FILE);
    expect(new PriceOverrides(b.prices).fingerprint).toBe(new PriceOverrides(a.prices).fingerprint);
  });
});

describe('validateConfig rejects, naming the place', () => {
  it('a file that is not an object', () => {
    expect(problem(null)).toBe('the file must be an object, got null');
    expect(problem([])).toBe('the file must be an object, got a list');
    expect(problem('x')).toBe('the file must be an object, got "x"');
    expect(problem(3)).toBe('the file must be an object, got 3');
  });

  it('a webhook URL that is not http(s), without showing its password or query', () => {
    const message = problem({ alerts: { webhook: { url: 'ftp://user:PASSW0RD@127.0.0.1/?token=T0KEN' } } });
    expect(message).toBe('alerts.webhook.url must be an http(s) URL, got "ftp://***@127.0.0.1/?***"');
  });

  it('a price data address that is not http(s), without showing its query', () => {
    expect(problem({ priceData: { url: 'file:///etc/passwd?k=SECRET' } })).toBe('priceData.url must be an http(s) URL, got "file:///etc/passwd?***"');
    expect(problem({ priceData: { uri: 'https://example.test' } })).toBe('priceData.uri is not a known setting; known: url');
  });

  it('subscription plans: known names priced from the table, others by monthlyUsd', () => {
    const config = validateConfig(
      {
        plans: [
          { provider: 'anthropic', plan: 'max 20x', startDay: 15 },
          { provider: 'google', plan: 'Gemini Advanced' },
          { provider: 'openai', plan: 'Team', monthlyUsd: 30, startDay: 3 },
          { provider: 'openai', monthlyUsd: 25 },
        ],
      },
      FILE,
    );
    expect(config.plans).toEqual([
      { provider: 'anthropic', name: 'Claude Max 20x', monthlyNanos: 200e9, startDay: 15 },
      { provider: 'google', name: 'Google AI Pro', monthlyNanos: 19.99e9, startDay: 1 },
      { provider: 'openai', name: 'Team', monthlyNanos: 30e9, startDay: 3 },
      { provider: 'openai', name: '$25/month', monthlyNanos: 25e9, startDay: 1 },
    ]);
  });

  it('a plan of an unknown name without a price, an unknown provider, or a start day past the 28th', () => {
    expect(problem({ plans: [{ provider: 'anthropic', plan: 'Ultra' }] })).toBe(
      'plans[0] names a plan tokenledger does not know ("Ultra"): add "monthlyUsd"; known anthropic plans: Claude Pro, Claude Max 5x, Claude Max 20x',
    );
    expect(problem({ plans: [{ provider: 'mistral', monthlyUsd: 15 }] })).toBe('plans[0].provider must be one of anthropic, openai, google, got "mistral"');
    expect(problem({ plans: [{ provider: 'openai', plan: 'Plus', startDay: 31 }] })).toBe('plans[0].startDay must be the day of the month the plan renews, 1-28, got 31');
    expect(problem({ plans: [{ provider: 'openai', monthlyUsd: '20' }] })).toBe('plans[0].monthlyUsd must be a price in USD above 0 and at most 100000, got "20"');
  });

  it('unknown settings, suggesting a near key', () => {
    expect(problem({ timezon: 'UTC' })).toBe(
      'timezon is not a known setting (did you mean "timezone"?); known: timezone, startOfWeek, prices, ledger, namespace, user, budgets, alerts, hooks, priceData, plans, gateway, sync, $schema',
    );
    expect(problem({ TimeZone: 'UTC' })).toContain('(did you mean "timezone"?)');
    expect(problem({ price: {} })).toContain('(did you mean "prices"?)');
    expect(problem({ startofweek: 'monday' })).toContain('(did you mean "startOfWeek"?)');
    expect(problem({ colour: 'red' })).toBe(
      'colour is not a known setting; known: timezone, startOfWeek, prices, ledger, namespace, user, budgets, alerts, hooks, priceData, plans, gateway, sync, $schema',
    );
  });

  it('a user: 1-128 characters without control characters', () => {
    expect(validateConfig({ user: 'ada@lab' }, 'c.json').user).toBe('ada@lab');
    expect(problem({ user: '' })).toBe('user must be 1-128 characters without control characters, got ""');
    expect(problem({ user: 'a\nb' })).toBe('user must be 1-128 characters without control characters, got "a\\nb"');
    expect(problem({ user: 'x'.repeat(129) })).toContain('user must be 1-128 characters');
    expect(problem({ user: 7 })).toBe('user must be 1-128 characters without control characters, got 7');
  });

  it('a bad timezone or start of week', () => {
    expect(problem({ timezone: '' })).toBe('timezone must be an IANA time zone name, got ""');
    expect(problem({ timezone: 1 })).toBe('timezone must be an IANA time zone name, got 1');
    expect(problem({ startOfWeek: 'funday' })).toBe('startOfWeek must be one of sunday, monday, tuesday, wednesday, thursday, friday, saturday, got "funday"');
    expect(problem({ startOfWeek: 1 })).toMatch(/^startOfWeek must be one of .*, got 1$/);
  });

  it('prices that are not an object of objects', () => {
    expect(problem({ prices: [] })).toBe('prices must be an object, got a list');
    expect(problem({ prices: { x: 3 } })).toBe('prices["x"] must be an object, got 3');
    expect(problem({ prices: { x: null } })).toBe('prices["x"] must be an object, got null');
  });

  it('a price without a model name', () => {
    expect(problem({ prices: { '': price() } })).toBe('prices[""] needs a model name or pattern as its key');
    expect(problem({ prices: { '  ': price() } })).toBe('prices["  "] needs a model name or pattern as its key');
  });

  it('a price without input or output', () => {
    expect(problem({ prices: { x: { input: 3 } } })).toBe('prices["x"] needs at least "input" and "output" (USD per million tokens)');
    expect(problem({ prices: { x: { output: 3 } } })).toBe('prices["x"] needs at least "input" and "output" (USD per million tokens)');
  });

  it('wrong types and negative prices', () => {
    expect(problem({ prices: { x: price({ input: '3' }) } })).toBe('prices["x"].input must be a non-negative number of USD per million tokens, got "3"');
    expect(problem({ prices: { x: price({ output: -1 }) } })).toBe('prices["x"].output must be a non-negative number of USD per million tokens, got -1');
    expect(problem({ prices: { x: price({ output: 1000.01 }) } })).toBe(
      'prices["x"].output must be at most 1000 USD per million tokens (the dearest price a cost can be kept exactly at), got 1000.01',
    );
    expect(problem({ prices: { x: price({ input: null }) } })).toBe('prices["x"].input must be a non-negative number of USD per million tokens, got null');
    expect(problem({ prices: { x: price({ cacheRead: -0.1 }) } })).toBe('prices["x"].cacheRead must be a non-negative number of USD per million tokens, got -0.1');
    expect(problem({ prices: { x: price({ cacheWrite5m: true }) } })).toContain('prices["x"].cacheWrite5m must be');
    expect(problem({ prices: { x: price({ cacheWrite1h: {} }) } })).toBe('prices["x"].cacheWrite1h must be a non-negative number of USD per million tokens, got an object');
    expect(problem({ prices: { x: price({ input: Number.POSITIVE_INFINITY }) } })).toContain('prices["x"].input must be');
    expect(problem({ prices: { x: price({ input: Number.NaN }) } })).toContain('prices["x"].input must be');
  });

  it('unknown price keys, suggesting a near key', () => {
    expect(problem({ prices: { x: price({ cacheread: 0.3 }) } })).toBe(
      'prices["x"].cacheread is not a known setting (did you mean "cacheRead"?); known: input, output, cacheWrite5m, cacheWrite1h, cacheRead, tiers, serviceTiers',
    );
    expect(problem({ prices: { x: price({ cacheWrite: 3.75 }) } })).toContain('prices["x"].cacheWrite is not a known setting (did you mean "cacheWrite5m"?)');
    expect(problem({ prices: { x: price({ cache_read: 0.3 }) } })).toBe(
      'prices["x"].cache_read is not a known setting; known: input, output, cacheWrite5m, cacheWrite1h, cacheRead, tiers, serviceTiers',
    );
  });

  it('quotes model names with special characters in the place', () => {
    expect(problem({ prices: { 'a"b': price({ input: -1 }) } })).toBe('prices["a\\"b"].input must be a non-negative number of USD per million tokens, got -1');
  });

  it('service tiers: a multiplier or flat rates per tier, alone (catalog prices kept) or beside prices', () => {
    expect(validateConfig({ prices: { 'claude-opus-4-6': { serviceTiers: { Fast: 6 } } } }, FILE).prices['claude-opus-4-6']).toEqual({ serviceTiers: { fast: 6 } });
    expect(validateConfig({ prices: { m: price({ serviceTiers: { fast: { input: 6, output: 30 } } }) } }, FILE).prices.m).toEqual({
      input: 3,
      output: 15,
      serviceTiers: { fast: { input: 6, output: 30 } },
    });
    expect(problem({ prices: { m: { serviceTiers: { fast: 0 } } } })).toBe('prices["m"].serviceTiers["fast"] must be a multiplier of the standard rates (e.g. 6), got 0');
    expect(problem({ prices: { m: { serviceTiers: { fast: { input: 6 } } } } })).toBe('prices["m"].serviceTiers["fast"] needs at least "input" and "output" (USD per million tokens)');
    expect(problem({ prices: { m: { serviceTiers: { 'a b': 2 } } } })).toBe('prices["m"].serviceTiers["a b"] needs a tier name such as "fast", "flex", "priority" or "batch"');
    expect(problem({ prices: { m: { output: 2, serviceTiers: { fast: 2 } } } })).toBe('prices["m"] needs at least "input" and "output" (USD per million tokens)');
  });

  it('bad tiers', () => {
    expect(problem({ prices: { x: price({ tiers: {} }) } })).toBe('prices["x"].tiers must be a list, got an object');
    expect(problem({ prices: { x: price({ tiers: [3] }) } })).toBe('prices["x"].tiers[0] must be an object, got 3');
    const tier = (extra: Record<string, unknown>): unknown => ({
      prices: {
        x: price({
          tiers: [
            { aboveTokens: 200_000, input: 6, output: 22.5 },
            { input: 12, output: 45, ...extra },
          ],
        }),
      },
    });
    expect(problem(tier({}))).toBe('prices["x"].tiers[1].aboveTokens must be a whole number of prompt tokens, got nothing');
    expect(problem(tier({ aboveTokens: -1 }))).toBe('prices["x"].tiers[1].aboveTokens must be a whole number of prompt tokens, got -1');
    expect(problem(tier({ aboveTokens: 1.5 }))).toBe('prices["x"].tiers[1].aboveTokens must be a whole number of prompt tokens, got 1.5');
    expect(problem(tier({ aboveTokens: '200000' }))).toBe('prices["x"].tiers[1].aboveTokens must be a whole number of prompt tokens, got "200000"');
    expect(problem(tier({ aboveTokens: 2 ** 53 }))).toContain('prices["x"].tiers[1].aboveTokens must be a whole number');
    expect(problem(tier({ aboveTokens: 1_000_000, output: undefined }))).toBe('prices["x"].tiers[1] needs at least "input" and "output" (USD per million tokens)');
    expect(problem(tier({ aboveTokens: 1_000_000, input: -12 }))).toBe('prices["x"].tiers[1].input must be a non-negative number of USD per million tokens, got -12');
    expect(problem(tier({ above: 1_000_000 }))).toBe(
      'prices["x"].tiers[1].above is not a known setting (did you mean "aboveTokens"?); known: input, output, cacheWrite5m, cacheWrite1h, cacheRead, aboveTokens',
    );
    expect(problem({ prices: { x: price({ tiers: [{ aboveTokens: 1, input: 1, output: 1, tiers: [] }] }) } })).toContain('prices["x"].tiers[0].tiers is not a known setting');
  });
});

describe('validateConfig (regressions)', () => {
  it('keeps a price for a model literally named "__proto__"', () => {
    const config = validateConfig(JSON.parse('{"prices":{"__proto__":{"input":1,"output":2}}}'), 'f.json');
    expect(Object.keys(config.prices)).toEqual(['__proto__']);
    expect(new PriceOverrides(config.prices).find('__proto__')?.base.input).toBe(1_000_000);
  });

  it('rejects an unknown time zone naming the file', () => {
    expect(() => validateConfig({ timezone: 'Mars/Base' }, '/x/config.json')).toThrow('/x/config.json: timezone is not a known IANA time zone');
  });

  it('does not suggest a setting for an empty key', () => {
    expect(() => validateConfig({ '': 1 }, 'f')).toThrow(/ is not a known setting; known:/);
  });
});

describe('sync.skip', () => {
  it('takes agent ids and --agent short names, case-insensitive, as ids', () => {
    expect(validateConfig({ sync: { skip: ['codex', 'Gemini-CLI', 'codex-cli'] } }, FILE).sync).toEqual({ skip: ['codex-cli', 'gemini-cli'] });
    expect(validateConfig({ sync: {} }, FILE).sync).toEqual({ skip: [] });
  });

  it('refuses what names no agent, naming the known ones', () => {
    expect(problem({ sync: { skip: ['cursor'] } })).toMatch(/^sync\.skip\[0\] names no agent tokenledger reads logs of \("cursor"\); known: claude-code \(claude.*\); codex-cli \(codex/);
    expect(problem({ sync: { skip: 'codex' } })).toBe('sync.skip must be a list of agent names, got "codex"');
    expect(problem({ sync: { skip: [], only: [] } })).toContain('sync');
  });
});
