import { parseDay } from '../../core/calendar.js';
import { EXIT, TokenledgerError, type ExitCode } from '../../core/errors.js';
import { picosPerTokenToUsdPerMTok } from '../../core/money.js';
import { RATE_KEYS, type ModelPrice, type Rates } from '../../pricing/model-price.js';
import { serviceTierOf } from '../../core/service-tier.js';
import { PriceOverrides } from '../../pricing/overrides.js';
import { PriceTable } from '../../pricing/price-table.js';
import { choosePriceSource } from '../../pricing/price-source.js';
import { priceDataFolder } from '../../config/locations.js';
import { suggestModels } from '../../pricing/model-suggestions.js';
import type { Io } from '../io.js';
import { knownProvider, pricesBeforeNote } from './prices-lookup.js';
import { loadSettings } from '../workspace.js';
import type { CommandSpec } from './command.js';
import { pricesUpdateCommand } from './prices-update.js';

const LABELS: Record<keyof Rates, string> = {
  input: 'input',
  output: 'output',
  cacheWrite5m: 'cache write 5m',
  cacheWrite1h: 'cache write 1h',
  cacheRead: 'cache read',
};

export const pricesCommand: CommandSpec = {
  name: 'prices',
  summary: 'show the prices tokenledger uses for a model, and where they come from (`prices update` fetches fresh ones)',
  subcommands: [pricesUpdateCommand],
  configure(command) {
    command
      .argument('<model>', 'model name as agents log it, e.g. claude-sonnet-4-5-20250929')
      .option('--provider <id>', 'provider to look in first (anthropic, openai, google, …)')
      .option('--at <date>', 'prices in force on this day, YYYY-MM-DD (default: today)')
      .option('--speed <tier>', 'prices at a service tier: fast (Claude fast mode), flex, priority, batch')
      .option('--config <path>', 'config file with price overrides')
      .option('-j, --json', 'print JSON');
  },
  async run(io: Io, args, flags): Promise<ExitCode> {
    const model = args[0] as string;
    const at = typeof flags.at === 'string' ? parseDay(flags.at, '--at') * 86_400_000 : io.now();
    const loaded = loadSettings(flags, io);
    const table = await PriceTable.load(new PriceOverrides(loaded.config.prices), choosePriceSource(priceDataFolder(io.env)));
    const tier = typeof flags.speed === 'string' ? serviceTierOf(flags.speed) : undefined;
    const provider = typeof flags.provider === 'string' ? knownProvider(flags.provider, table.providerIds()) : undefined;
    const tiered = table.priceAt(model, provider, at, tier);
    if (tiered === undefined) {
      const close = suggestModels(model, table.knownModels());
      throw new TokenledgerError('UNKNOWN_MODEL', `no price is known for "${model}"${close.length === 0 ? '' : ` (did you mean ${close.join(', ')}?)`}`, {
        hint: `add one to ${loaded.path}: {"prices": {"${model}": {"input": 1.0, "output": 5.0}}} (USD per million tokens), then run \`tokenledger reprice\``,
      });
    }
    const speed: Speed = { tier: tier ?? 'standard', known: tiered.known };
    if (flags.json === true) io.stdout.write(`${JSON.stringify(priceJson(model, tiered.price, table.version, speed), null, 2)}\n`);
    else io.stdout.write(priceText(model, tiered.price, table.version, speed));
    if (typeof flags.at === 'string') io.stderr.write(pricesBeforeNote(model, tiered.price, flags.at));
    if (!tiered.known) io.stderr.write(`note: no ${speed.tier} price is known for ${model}; ${speed.tier} requests are priced at standard rates (set one under "serviceTiers" in ${loaded.path}).\n`);
    return EXIT.ok;
  },
};

function usd(rates: Rates): Record<string, number> {
  return Object.fromEntries(RATE_KEYS.map((k) => [k, picosPerTokenToUsdPerMTok(rates[k])]));
}

/** The service tier shown, and whether it had a price of its own. */
interface Speed {
  tier: string;
  known: boolean;
}

function priceJson(model: string, price: ModelPrice, version: string, speed: Speed): unknown {
  return {
    model,
    serviceTier: speed.tier,
    serviceTierPriced: speed.known,
    pricedAs: price.pricedAs,
    provider: price.provider,
    origin: price.origin,
    validFrom: price.validFrom ?? null,
    priceVersion: version,
    unit: 'USD per million tokens',
    base: usd(price.base),
    tiers: price.tiers.map((t) => ({ promptTokensAbove: t.aboveTokens, ...usd(t.rates) })),
  };
}

function priceText(model: string, price: ModelPrice, version: string, speed: Speed): string {
  const rows: [string, Rates][] = [['base', price.base], ...price.tiers.map((t): [string, Rates] => [`prompt > ${t.aboveTokens.toLocaleString('en-US')}`, t.rates])];
  const head = ['', ...RATE_KEYS.map((k) => LABELS[k])];
  const cells = rows.map(([label, rates]) => [
    label,
    ...RATE_KEYS.map((k) =>
      picosPerTokenToUsdPerMTok(rates[k])
        .toFixed(4)
        .replace(/0{1,2}$/, ''),
    ),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]): string => c.map((v, i) => (i === 0 ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number))).join('   ');
  return [
    `Model       ${model}`,
    `Priced as   ${price.provider}/${price.pricedAs}`,
    `Speed       ${speed.tier}${speed.known ? '' : ' (no price of its own: standard rates)'}`,
    `Source      ${price.origin}`,
    ...(price.validFrom === undefined ? [] : [`Valid from  ${price.validFrom}`]),
    `Version     ${version}`,
    '',
    'USD per million tokens (a request whose prompt exceeds a tier is billed entirely at that tier):',
    line(head),
    ...cells.map(line),
    '',
  ].join('\n');
}
