import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** The dashboard's views: each answers the page, which draws the view its path names. */
export const VIEW_PATHS: readonly RegExp[] = [/^\/$/, /^\/sessions$/, /^\/sessions\/[^/]+$/, /^\/models$/, /^\/projects$/, /^\/users$/, /^\/keys$/, /^\/analysis$/, /^\/budgets$/];

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** A folder the page's assets may also be asked under (`/assets/app.js`); by name at the root otherwise (`/app.js?v=<hash>`). */
const ASSETS = '/assets/';

/** A name that carries its content's hash (`app.3f9a1c2e.js`, `app-3f9a1c2e.css`): cached for good. */
const HASHED = /[.-][0-9a-f]{8,}\.[a-z0-9]+$/i;

interface Loaded {
  mtimeMs: number;
  size: number;
  body: Uint8Array;
  etag: string;
}

/**
 * The dashboard's built files (`dist/web/` of the package): the page for every view path, the
 * assets by name (`/app.js`), with an ETag; hashed names (or a `?v=` query) are immutable. A missing build is
 * a 500 that says to run `npm run build`.
 */
export class Dashboard {
  readonly #dir: string;
  readonly #cache = new Map<string, Loaded>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The answer for `path`, or undefined when it is neither a view nor a built file. */
  async answer(path: string, query: URLSearchParams, ifNoneMatch: string | null): Promise<Response | undefined> {
    const view = VIEW_PATHS.some((re) => re.test(path));
    const name = view ? 'index.html' : this.#fileName(path);
    if (name === undefined) return undefined;
    const file = await this.#load(name);
    if (file === undefined) {
      // Browsers ask for an icon whatever the page says: none is no error.
      if (path === '/favicon.ico') return new Response(null, { status: 204, headers: { 'cache-control': 'public, max-age=86400' } });
      return view ? this.#notBuilt() : undefined;
    }
    const immutable = !view && (HASHED.test(name) || query.has('v'));
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
      etag: file.etag,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === file.etag)) return new Response(null, { status: 304, headers });
    return new Response(file.body, { status: 200, headers: { ...headers, 'content-length': String(file.body.byteLength) } });
  }

  /** The file `/<name>` (or `/assets/<name>`) names in the folder: no dot-files, nothing outside it. */
  #fileName(path: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path.startsWith(ASSETS) ? path.slice(ASSETS.length) : path);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').some((part) => part.startsWith('.'))) return undefined;
    const full = join(this.#dir, decoded);
    const rel = relative(this.#dir, full);
    if (rel === '' || rel === 'index.html' || rel.startsWith('..') || rel.startsWith(sep)) return undefined;
    return rel;
  }

  async #load(name: string): Promise<Loaded | undefined> {
    const full = join(this.#dir, name);
    let info: { mtimeMs: number; size: number; isFile(): boolean };
    try {
      info = await stat(full);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const cached = this.#cache.get(name);
    if (cached !== undefined && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const body = new Uint8Array(await readFile(full));
    const loaded = { mtimeMs: info.mtimeMs, size: info.size, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    this.#cache.set(name, loaded);
    return loaded;
  }

  #notBuilt(): Response {
    return new Response(`The dashboard is not built: ${join(this.#dir, 'index.html')} is missing. Run \`npm run build\` in the package folder, then reload.\n`, {
      status: 500,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
}
