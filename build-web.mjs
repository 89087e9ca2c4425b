// Builds the dashboard page for the browser: src/sinks/web/main.ts (and the CSS it imports, uPlot's
// included) into dist/web/app.js and dist/web/app.css, and dist/web/index.html from its template with
// each asset's content hash in its URL (`/assets/app.js?v=<hash>`), so a new build is never served
// from a stale cache. The page's JavaScript and CSS together stay within 150 KB gzipped.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const LIMIT_GZIP_BYTES = 150 * 1024;

export async function buildDashboard(outdir = 'dist/web') {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { app: 'src/sinks/web/main.ts' },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const js = readFileSync(`${outdir}/app.js`);
  const css = readFileSync(`${outdir}/app.css`);
  const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const html = readFileSync('src/sinks/web/index.html', 'utf8').replace('%JS_HASH%', hash(js)).replace('%CSS_HASH%', hash(css));
  writeFileSync(`${outdir}/index.html`, html);
  const gzipBytes = gzipSync(js, { level: 9 }).length + gzipSync(css, { level: 9 }).length;
  if (gzipBytes > LIMIT_GZIP_BYTES) throw new Error(`the dashboard's JavaScript and CSS are ${kb(gzipBytes)} gzipped, over the ${kb(LIMIT_GZIP_BYTES)} limit`);
  return `app.js ${kb(js.length)} + app.css ${kb(css.length)}, ${kb(gzipBytes)} gzipped of ${kb(LIMIT_GZIP_BYTES)}`;
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
