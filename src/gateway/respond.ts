import type { ServerResponse } from 'node:http';
import { errorBody } from './error-shapes.js';

/** Answers a request with an error the client's SDK parses (its provider's shape); nothing if the answer has begun. */
export function sendError(res: ServerResponse, kind: string, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const body = errorBody(kind, status, type, message);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
