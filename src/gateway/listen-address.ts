import { badArgument } from '../core/errors.js';
import { isIP } from 'node:net';

/** Where the gateway listens. */
export interface ListenAddress {
  host: string;
  port: number;
}

export const DEFAULT_LISTEN = '127.0.0.1:4000';

/** `HOST:PORT` or `[IPv6]:PORT`; port 0 picks a free one. */
export function parseListen(text: string, where = '--listen'): ListenAddress {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^\s:/[\]]+)):(\d{1,5})$/i.exec(text.trim());
  const port = match === null ? Number.NaN : Number(match[3]);
  if (match === null || !Number.isInteger(port) || port > 65_535) throw badArgument(`${where} expects HOST:PORT (e.g. 127.0.0.1:4000 or [::1]:4000), got "${text}"`);
  return { host: (match[1] ?? match[2]) as string, port };
}

/** Only this machine can reach it: 127.0.0.0/8, ::1 or `localhost`. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** The address as a URL's host part. */
export function hostPort(address: ListenAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}
