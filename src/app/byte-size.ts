import { badArgument } from '../core/errors.js';

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kib: 1024, mib: 1024 * 1024 };

/** A size flag: bytes, or a whole number of KiB or MiB (`4MiB`, `512 KiB`, `65536`), from `min` to `max` bytes. */
export function parseByteSize(text: unknown, flag: string, min: number, max: number): number {
  const match = typeof text === 'string' ? /^\s*(\d{1,12})\s*(b|kib|mib)?\s*$/i.exec(text) : null;
  const bytes = match === null ? Number.NaN : Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? Number.NaN);
  if (!(bytes >= min && bytes <= max)) throw badArgument(`${flag} expects a size from ${min} bytes to ${max / 1024 / 1024} MiB (bytes, or a number with KiB or MiB), got "${String(text)}"`);
  return bytes;
}
