import { priceDataFolder } from '../../config/locations.js';
import { badArgument, describeError, EXIT, TokenledgerError, type ExitCode } from '../../core/errors.js';
import { redactUrls } from '../../core/redact-url.js';
import { terminalText } from '../../core/terminal-text.js';
import { Catalog } from '../../pricing/catalog.js';
import { catalogChanges, type CatalogChanges, type PriceChange } from '../../pricing/catalog-changes.js';
import { saveFetchedPrices, type FetchedPrices } from '../../pricing/fetched-prices.js';
import { catalogVersion } from '../../pricing/genai-version.js';
import { fetchPriceData } from '../../pricing/price-data-fetch.js';
import { parsePriceData } from '../../pricing/price-data-schema.js';
import { BUILTIN_PRICES, choosePriceSource } from '../../pricing/price-source.js';
import type { Io } from '../io.js';
import { loadSettings } from '../workspace.js';
import type { CommandSpec } from './command.js';

const DEFAULT_TIMEOUT_SECONDS = 30;
/** Changed and new models listed by name before the rest are only counted. */
const LISTED = 40;

export const pricesUpdateCommand: CommandSpec = {
  name: 'update',
  summary: 'fetch the current price data of @pydantic/genai-prices and keep it in the data folder (the only command that goes online for prices)',
  configure(command) {
    command
      .option('--url <url>', 'fetch from this address (default: "priceData.url" in the config, else the data file the package publishes)')
      .option('--timeout <seconds>', `give up after this many seconds (default: ${DEFAULT_TIMEOUT_SECONDS})`)
      .option('--config <path>', 'config file')
      .option('-j, --json', 'print JSON');
  },
  async run(io: Io, _args, flags): Promise<ExitCode> {
    const loaded = loadSettings(flags, io);
    const timeoutMs = timeoutOf(flags.timeout);
    const url = typeof flags.url === 'string' ? flags.url : (loaded.config.priceData?.url ?? (await publishedDataUrl()));
    const fetched = await fetchPriceData(url, { timeoutMs });
    let data: unknown;
    try {
      data = JSON.parse(fetched.text);
    } catch (error) {
      throw new TokenledgerError('BAD_PRICE_DATA', `price data from ${redactUrls(url)} is not valid JSON (cut short?): ${describeError(error)}`, {
        hint: 'nothing was changed; the prices in use stay as they were',
      });
    }
    const providers = parsePriceData(data);
    const dir = priceDataFolder(io.env);
    const before = await Catalog.load(choosePriceSource(dir)).catch(() => Catalog.load(BUILTIN_PRICES));
    const changes = catalogChanges(before.providers(), providers, io.now());
    const kept = saveFetchedPrices(dir, providers, { fetchedAt: new Date(io.now()), url: redactUrls(url), builtinVersion: catalogVersion() });
    if (flags.json === true) io.stdout.write(`${JSON.stringify({ ...kept, folder: dir, bytes: fetched.bytes, comparedWith: before.version, ...changes }, null, 2)}\n`);
    else io.stdout.write(updateText(kept, dir, fetched.bytes, before.version, changes));
    return EXIT.ok;
  },
};

/** The address `@pydantic/genai-prices` documents for its current data file (read from the package, not written here). */
async function publishedDataUrl(): Promise<string> {
  const genai = await import('@pydantic/genai-prices');
  return genai.REMOTE_DATA_JSON_URL;
}

function timeoutOf(raw: unknown): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw badArgument(`--timeout must be a number of seconds above 0 and at most 600, got "${String(raw)}"`);
  return Math.ceil(seconds * 1000);
}

function updateText(kept: FetchedPrices, dir: string, bytes: number, comparedWith: string, changes: CatalogChanges): string {
  const names = (list: string[]): string => {
    const shown = list.slice(0, LISTED).map(terminalText).join(', ');
    return list.length > LISTED ? `${shown} and ${list.length - LISTED} more` : shown;
  };
  const lines = [
    `Fetched price data ${kept.version} from ${kept.url} (${bytes.toLocaleString('en-US')} bytes).`,
    `Kept in ${dir}; prices now come from it (was: ${comparedWith}).`,
    `New models (${changes.added.length})${changes.added.length === 0 ? '' : `: ${names(changes.added)}`}`,
    `Changed prices (${changes.changed.length})${changes.changed.length === 0 ? '' : ':'}`,
    ...changes.changed.slice(0, LISTED).map((c) => `  ${terminalText(c.model)}: ${changeText(c)}`),
    ...(changes.changed.length > LISTED ? [`  and ${changes.changed.length - LISTED} more (--json lists all)`] : []),
    `Removed models (${changes.removed.length})${changes.removed.length === 0 ? '' : `: ${names(changes.removed)}`}`,
    'Run `tokenledger reprice` to re-price the events already in the ledger.',
    '',
  ];
  return lines.join('\n');
}

function changeText(change: PriceChange): string {
  const keys = Object.keys(change.after) as (keyof PriceChange['after'])[];
  const usd = (v: number | undefined): string => (v === undefined ? 'none' : `$${v}`);
  return `${keys.map((k) => `${k} ${usd(change.before[k])} → ${usd(change.after[k])}`).join(', ')} per million tokens`;
}
