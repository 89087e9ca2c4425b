import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Io } from '../src/cli/io.js';
import { runCli } from '../src/cli/main.js';

/**
 * A stand-in for the dashboard's server while developing and testing the page: it serves the built
 * page (dist/web) and answers `GET /api/v1/<report>?<flags>` by running the CLI in-process with the
 * same flags and `--json`, so the page sees exactly the CLI's documents. Budgets are set and removed
 * with the admin token; `/api/v1/events` sends a `ledger` event on `notify()` and after a budget is set or removed (reports
 * themselves write the ledger's day sums, so the file's changes say nothing). Not the product's server: no auth beyond the admin token, no security headers.
 */
export interface DevServer {
  url: string;
  /** Sends every open page a `ledger` event. */
  notify(): void;
  close(): Promise<void>;
}

export interface DevServerOptions {
  db: string;
  env: Record<string, string | undefined>;
  webDir?: string;
  adminToken?: string;
  port?: number;
  /** Epoch ms the CLI runs at (a fixed clock for tests); the real clock when absent. */
  now?: () => number;
}

/** What each API name runs: the report's command words. */
const COMMANDS: Record<string, readonly string[]> = {
  budgets: ['budget', 'list'],
  keys: ['keys', 'usage'],
};

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8' };

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const webDir = options.webDir ?? 'dist/web';
  const clients = new Set<ServerResponse>();
  const notify = () => {
    for (const client of clients) client.write('event: ledger\ndata: {}\n\n');
  };
  const cli = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    const io: Io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      env: { ...options.env, TOKENLEDGER_DB: options.db },
      now: options.now ?? (() => Date.now()),
    };
    const code = await runCli(args, io);
    return { code, stdout, stderr };
  };
  const json = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };
  const answer = async (args: string[], res: ServerResponse) => {
    const run = await cli(args);
    if (run.stdout.trim() !== '' && run.code !== 2) json(res, 200, run.stdout);
    else json(res, 400, JSON.stringify({ error: run.stderr.trim().split('\n')[0] ?? 'failed' }));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/api/v1/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    const api = /^\/api\/v1\/([a-z-]+)$/.exec(url.pathname);
    if (api) {
      const name = api[1]!;
      if (name === 'budgets' && req.method !== 'GET') {
        if (req.headers.authorization !== `Bearer ${options.adminToken ?? 'dev-admin'}`) return json(res, 401, JSON.stringify({ error: 'the admin token is missing or wrong' }));
        if (req.method === 'POST') {
          const body = JSON.parse(await readBody(req)) as { scope?: string; period?: string; usd?: number };
          await answer(['budget', 'set', String(body.usd), '--scope', String(body.scope), '--period', String(body.period), '--json'], res);
        } else {
          const run = await cli(['budget', 'remove', '--scope', url.searchParams.get('scope') ?? '', '--period', url.searchParams.get('period') ?? '']);
          if (run.code === 0) json(res, 200, JSON.stringify({ message: run.stdout.trim() }));
          else json(res, 400, JSON.stringify({ error: run.stderr.trim().split('\n')[0] ?? 'failed' }));
        }
        notify();
        return;
      }
      const args = [...(COMMANDS[name] ?? [name]), '--json'];
      if (!(name in COMMANDS)) args.push('--no-sync');
      for (const [flag, value] of url.searchParams) args.push(`--${flag}`, ...(value === '' ? [] : [value]));
      return answer(args, res);
    }
    const asset = /^\/(app\.(?:js|css))$/.exec(url.pathname);
    const file = asset ? join(webDir, asset[1]!) : join(webDir, 'index.html');
    if (!existsSync(file)) return json(res, 404, JSON.stringify({ error: `${file} is missing: run npm run build` }));
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:",
    });
    res.end(readFileSync(file));
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, JSON.stringify({ error: String(error) })));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    notify,
    async close() {
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
