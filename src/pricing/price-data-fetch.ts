import { describeError, TokenledgerError } from '../core/errors.js';
import { redactUrls } from '../core/redact-url.js';

/** The published data file is about 1 MB; anything far larger is not it. */
export const MAX_PRICE_DATA_BYTES = 32 * 1024 * 1024;

export interface FetchedText {
  text: string;
  bytes: number;
}

/**
 * Downloads the price data file with Node's `fetch`: one GET, no redirects followed (a moved file
 * is reported with its new address, for the config), the whole exchange bounded by `timeoutMs`
 * and the body by `maxBytes`.
 */
export async function fetchPriceData(url: string, options: { timeoutMs: number; maxBytes?: number }): Promise<FetchedText> {
  const maxBytes = options.maxBytes ?? MAX_PRICE_DATA_BYTES;
  const shown = redactUrls(url);
  const fail = (message: string, hint?: string): never => {
    throw new TokenledgerError('IO', redactUrls(message), hint === undefined ? {} : { hint });
  };
  if (!/^https?:\/\//i.test(url)) fail(`the price data URL must be http(s), got ${JSON.stringify(shown)}`, 'set "priceData": {"url": …} in the config');
  const signal = AbortSignal.timeout(options.timeoutMs);
  const late = (): never => fail(`no price data from ${shown} within ${options.timeoutMs / 1000} s`, 'try again later, or raise --timeout');
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'manual', headers: { accept: 'application/json' } });
  } catch (error) {
    return signal.aborted ? late() : fail(`cannot fetch price data from ${shown} (${describeError(error)})`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    const to = response.headers.get('location');
    return fail(`${shown} redirects (HTTP ${response.status})${to === null ? '' : ` to ${to}`}; redirects are not followed`, 'set "priceData": {"url": …} in the config to the address the data is at');
  }
  if (!response.ok) {
    await response.body?.cancel();
    return fail(`cannot fetch price data from ${shown} (HTTP ${response.status})`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return fail(`the price data at ${shown} is ${declared} bytes, more than the ${maxBytes} price data can be`);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for await (const chunk of response.body ?? []) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        return fail(`the price data at ${shown} is more than the ${maxBytes} bytes price data can be`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof TokenledgerError) throw error;
    return signal.aborted ? late() : fail(`the price data from ${shown} broke off: ${describeError(error)}`);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)), bytes };
  } catch {
    return fail(`the price data from ${shown} is not UTF-8 text`);
  }
}
