import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { badArgument, describeError, TokenledgerError } from './errors.js';

/** Where a server (the gateway, `serve`) listens. */
export interface ListenAddress {
  host: string;
  port: number;
}

/** A certificate and its private key, as PEM. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

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

/**
 * Reads `--tls-cert` and `--tls-key` (both or neither): the PEM files' bytes, or undefined for
 * plain HTTP.
 */
export function readTlsFiles(certPath: string | undefined, keyPath: string | undefined): TlsFiles | undefined {
  if ((certPath === undefined) !== (keyPath === undefined)) throw badArgument('--tls-cert and --tls-key go together');
  if (certPath === undefined || keyPath === undefined) return undefined;
  return { cert: readPem(certPath, '--tls-cert'), key: readPem(keyPath, '--tls-key') };
}

/**
 * Refuses a non-loopback address without TLS unless plain HTTP is allowed (a TLS proxy in front
 * terminates it): `secrets` says what would cross the network in clear text.
 */
export function requireTlsOffLoopback(listen: ListenAddress, tls: TlsFiles | undefined, allowPlainHttp: boolean, secrets: string): void {
  if (isLoopback(listen.host) || tls !== undefined || allowPlainHttp) return;
  throw badArgument(
    `refusing to listen on ${listen.host} without TLS: ${secrets} would cross the network in clear text`,
    'give --tls-cert and --tls-key, or --allow-plain-http when a TLS proxy in front terminates it (or listen on 127.0.0.1)',
  );
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new TokenledgerError('BAD_ARGUMENT', `${flag}: cannot read ${path}: ${describeError(error)}`);
  }
}
