import { isIP } from 'node:net';
import { createHash } from 'node:crypto';
import { TokenledgerError } from '../../core/errors.js';
import { redactUrls } from '../../core/redact-url.js';

export interface OtlpEndpoint {
  /** Where the request goes: the URL given, with `/v1/metrics` appended unless it already ends so. */
  url: URL;
  /** What messages show: scheme, host and path; user, password and query hidden. */
  shown: string;
  /** Plain http to an address other than this machine: usage and headers cross the network unencrypted. */
  plainRemote: boolean;
}

const HINT = 'Give the collector or backend base URL, e.g. http://127.0.0.1:4318 or https://otlp.example.com/otlp (/v1/metrics is added).';

/**
 * Reads `--otlp URL` as `OTEL_EXPORTER_OTLP_ENDPOINT` is read (a base URL to which `/v1/metrics` is
 * added), and also takes the full metrics URL (`OTEL_EXPORTER_OTLP_METRICS_ENDPOINT`). No message
 * repeats the URL as given: its userinfo or query may hold a secret.
 */
export function otlpEndpoint(text: string, flag = '--otlp'): OtlpEndpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TokenledgerError('BAD_ARGUMENT', `${flag} expects a full http or https URL; the one given is not a URL`, { hint: HINT });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TokenledgerError('BAD_ARGUMENT', `${flag} expects an http or https URL, not ${url.protocol.slice(0, -1)}`, { hint: HINT });
  if (url.username !== '' || url.password !== '')
    throw new TokenledgerError('BAD_ARGUMENT', `${flag}: put credentials in OTEL_EXPORTER_OTLP_HEADERS, not in the URL`, {
      hint: 'e.g. OTEL_EXPORTER_OTLP_HEADERS="Authorization=Basic%20<base64 of user:password>"',
    });
  if (!url.pathname.endsWith('/v1/metrics')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/metrics`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  return { url, shown: redactUrls(url.href), plainRemote: url.protocol === 'http:' && !loopback };
}

/**
 * The ledger mark that remembers how far usage went to this destination, for this namespace:
 * named by a digest of both (the URL itself may hold a secret, and marks can be listed).
 */
export function otlpMarkName(url: URL, namespace: string): string {
  return `otlp:${createHash('sha256').update(`${namespace}\n${url.href}`).digest('hex').slice(0, 32)}`;
}
