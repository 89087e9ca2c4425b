import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { parsePriceData } from './price-data-schema.js';

/** The smallest data the checks accept: one priced model for each of the three providers required. */
function minimal(): Record<string, unknown>[] {
  const provider = (id: string, model: string) => ({
    id,
    name: id,
    api_pattern: '.*',
    models: [{ id: model, match: { starts_with: model }, prices: { input_mtok: 1, output_mtok: 5, image_mtok: 'not a token price' } }],
  });
  return [provider('anthropic', 'claude-a'), provider('openai', 'gpt-a'), provider('google', 'gemini-a')];
}

function refusal(data: unknown): string {
  try {
    parsePriceData(data);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenledgerError);
    expect((error as TokenledgerError).code).toBe('BAD_PRICE_DATA');
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('parsePriceData', () => {
  it('accepts the data the package ships and keeps only token prices', async () => {
    const genai = await import('@pydantic/genai-prices');
    const providers = parsePriceData(JSON.parse(JSON.stringify(await genai.waitForUpdate())));
    expect(providers.find((p) => p.id === 'anthropic')?.models.length).toBeGreaterThan(10);
    expect(parsePriceData(minimal())[0]?.models[0]?.prices).toEqual({ input_mtok: 1, output_mtok: 5 });
  });

  it('reads a start date written without its type, as the package does', () => {
    const data = minimal();
    (data[0]!.models as Record<string, unknown>[])[0]!.prices = [
      { prices: { input_mtok: 1, output_mtok: 5 } },
      { constraint: { start_date: '2026-01-01' }, prices: { input_mtok: 2, output_mtok: 6 } },
    ];
    expect(parsePriceData(data)[0]?.models[0]?.prices).toEqual([
      { prices: { input_mtok: 1, output_mtok: 5 } },
      { constraint: { type: 'start_date', start_date: '2026-01-01' }, prices: { input_mtok: 2, output_mtok: 6 } },
    ]);
  });

  it('refuses another schema version, naming the version it says', () => {
    expect(refusal({ schema_version: 3, providers: minimal() })).toContain('is not schema v2 (a list of providers): it says version 3');
  });

  it('refuses data cut short to fewer providers than anthropic, openai and google', () => {
    expect(refusal([])).toContain('has no models for anthropic, openai, google');
    expect(refusal(minimal().slice(0, 2))).toContain('has no models for google');
  });

  it('refuses prices that are not numbers, negative, or absurd', () => {
    const price = (value: unknown) => {
      const data = minimal();
      ((data[1]!.models as Record<string, unknown>[])[0]!.prices as Record<string, unknown>).output_mtok = value;
      return refusal(data);
    };
    expect(price('5')).toContain('providers[1] (openai).models[0] ("gpt-a").prices.output_mtok must be a non-negative number');
    expect(price(-1)).toContain('must be a non-negative number');
    expect(price(1e12)).toContain('above the 1000 a price can be');
    expect(price({ base: 1, tiers: [{ start: 'many', price: 2 }] })).toContain('tiers[0].start must be a whole number of tokens');
  });

  it('refuses prototype keys anywhere, even where the data is otherwise ignored', () => {
    const data = JSON.parse(`[{"id":"anthropic","__proto__":{"polluted":true},"models":[]}]`);
    expect(refusal(data)).toContain('holds the key "__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const nested = minimal();
    (nested[0]!.models as Record<string, unknown>[])[0]!.prices = JSON.parse('{"input_mtok":1,"output_mtok":2,"constructor":{"prototype":{}}}');
    expect(refusal(nested)).toContain('holds the key "constructor"');
  });

  it('refuses match rules that could hang matching or are not rules at all', () => {
    const rule = (match: unknown) => {
      const data = minimal();
      (data[2]!.models as Record<string, unknown>[])[0]!.match = match;
      return refusal(data);
    };
    expect(rule({ regex: '(a+)+$' })).toContain('nests quantifiers');
    expect(rule({ regex: '([' })).toContain('is not a valid regular expression');
    expect(rule({ run: 'rm -rf /' })).toContain('"run", which is not a known match rule');
    let deep: unknown = { equals: 'x' };
    for (let i = 0; i < 20; i++) deep = { or: [deep] };
    expect(rule(deep)).toContain('nests deeper than 16 levels');
  });

  it('refuses lists longer than price data can be', () => {
    const data = minimal();
    data[0]!.models = Array.from({ length: 5_001 }, (_, i) => ({ id: `m${i}`, match: { equals: `m${i}` }, prices: { input_mtok: 1, output_mtok: 1 } }));
    expect(refusal(data)).toContain('has 5001 entries, more than the 5000');
  });
});
