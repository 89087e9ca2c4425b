import { TokenledgerError } from '../../core/errors.js';

/**
 * Headers from `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_EXPORTER_OTLP_METRICS_HEADERS` (the latter
 * wins for a name in both), in the OpenTelemetry format `name=value,other=value` with values
 * percent-decoded. Errors name the variable and the entry's position, never a value (often a token).
 */
export function otlpHeaders(env: Record<string, string | undefined>): Record<string, string> {
  return { ...parse(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS'), ...parse(env.OTEL_EXPORTER_OTLP_METRICS_HEADERS, 'OTEL_EXPORTER_OTLP_METRICS_HEADERS') };
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parse(text: string | undefined, variable: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text === undefined || text.trim() === '') return headers;
  const entries = text.split(',');
  entries.forEach((entry, i) => {
    if (entry.trim() === '') return;
    const place = `${variable}, entry ${i + 1}`;
    const eq = entry.indexOf('=');
    if (eq === -1) throw bad(`${place} has no "=": expected name=value`);
    const name = entry.slice(0, eq).trim();
    if (!TOKEN.test(name)) throw bad(`${place}: the header name is empty or not an HTTP token`);
    let value: string;
    try {
      value = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      throw bad(`${place}: the value has a malformed %-escape (write % itself as %25)`);
    }
    if (/[\r\n\0]/.test(value) || /[^\u0000-\u00ff]/.test(value)) throw bad(`${place}: the value cannot be sent as an HTTP header (line breaks, or characters beyond Latin-1)`);
    headers[name.toLowerCase()] = value;
  });
  return headers;
}

function bad(message: string): TokenledgerError {
  return new TokenledgerError('BAD_ARGUMENT', message, { hint: 'The format is name=value pairs separated by commas, values percent-encoded, e.g. Authorization=Bearer%20abc123.' });
}
