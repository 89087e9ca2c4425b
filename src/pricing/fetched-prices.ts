import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenledgerError, describeError } from '../core/errors.js';
import type { CatalogProvider, CatalogSnapshot } from './catalog-data.js';
import { parsePriceData } from './price-data-schema.js';

/** The small file naming the fetched data in use; read by every pricer, so kept tiny. */
const POINTER = 'current.json';

/** What `prices update` fetched and keeps: which data, from where, when, over which built-in catalog. */
export interface FetchedPrices {
  /** `YYYY-MM-DD <digest>`: the day fetched and the first 12 hex digits of the data's SHA-256. */
  version: string;
  fetchedAt: string;
  /** The address it came from, redacted. */
  url: string;
  /** The `@pydantic/genai-prices` version built in when it was fetched. */
  builtinVersion: string;
  /** The data file beside the pointer, named after the digest. */
  file: string;
}

/** The pointer of the fetched data in `dir`, or undefined when there is none (or it is unreadable). */
export function readFetchedPrices(dir: string): FetchedPrices | undefined {
  try {
    const p = JSON.parse(readFileSync(join(dir, POINTER), 'utf8')) as Partial<FetchedPrices>;
    const fields = [p.version, p.fetchedAt, p.url, p.builtinVersion, p.file];
    if (fields.some((f) => typeof f !== 'string') || !/^data-[0-9a-f]{12}\.json$/.test(p.file as string)) return undefined;
    return p as FetchedPrices;
  } catch {
    return undefined;
  }
}

/** The catalog kept with `pointer`, checked again as it is read (the file may have been edited). */
export function loadFetchedSnapshot(dir: string, pointer: FetchedPrices): CatalogSnapshot {
  const path = join(dir, pointer.file);
  let providers: CatalogProvider[];
  try {
    providers = parsePriceData(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new TokenledgerError('BAD_PRICE_DATA', `the price data fetched on ${pointer.fetchedAt.slice(0, 10)} (${path}) cannot be used: ${describeError(error)}`, {
      hint: 'run `tokenledger prices update` again, or delete the folder to use the built-in prices',
    });
  }
  return { version: `data ${pointer.version}`, providers };
}

/**
 * Keeps checked data in `dir`: the data file first, then the pointer, each written to a temporary
 * file and renamed, so a reader sees the old data or the new, never half of either. Older data
 * files are removed, except the one just replaced (a pricer that read the old pointer may still open it).
 */
export function saveFetchedPrices(dir: string, providers: CatalogProvider[], meta: { fetchedAt: Date; url: string; builtinVersion: string }): FetchedPrices {
  const text = JSON.stringify(providers);
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const previous = readFetchedPrices(dir);
  const pointer: FetchedPrices = {
    version: `${meta.fetchedAt.toISOString().slice(0, 10)} ${digest}`,
    fetchedAt: meta.fetchedAt.toISOString(),
    url: meta.url,
    builtinVersion: meta.builtinVersion,
    file: `data-${digest}.json`,
  };
  mkdirSync(dir, { recursive: true });
  writeAtomically(join(dir, pointer.file), text);
  writeAtomically(join(dir, POINTER), `${JSON.stringify(pointer, null, 2)}\n`);
  for (const name of readdirSync(dir)) {
    if (/^data-[0-9a-f]{12}\.json$/.test(name) && name !== pointer.file && name !== previous?.file) rmSync(join(dir, name), { force: true });
  }
  return pointer;
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new TokenledgerError('IO', `cannot keep the price data at ${path}: ${describeError(error)}`);
  }
}
