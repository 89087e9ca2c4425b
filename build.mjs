// Builds tokenledger: bundles each entry point with esbuild (one file loads far faster than many
// modules), then snapshots the bundled price catalog. Type checking is `npm run typecheck`.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { buildDashboard } from './build-web.mjs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: {
    tokenledger: 'src/cli/main.ts',
    statusline: 'src/cli/statusline-main.ts',
    'sync-worker': 'src/cli/sync-worker.ts',
    'gateway-writer': 'src/gateway/gateway-writer.ts',
    'write-catalog': 'src/pricing/write-catalog.ts',
    bench: 'bench/run.ts',
    'bench-upstream': 'bench/gateway/upstream-main.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // playwright-core (a devDependency, imported by the bench alone) reads its own files at run time.
  external: ['better-sqlite3', '@pydantic/genai-prices', 'pg', 'pg-copy-streams', 'playwright-core'],
  // Bundled CommonJS dependencies (commander) still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
const page = await buildDashboard();
process.stdout.write(`built dist/web/ (dashboard: ${page})\n`);
const { writeCatalog } = await import('./dist/write-catalog.mjs');
const snapshot = await writeCatalog();
process.stdout.write(`built dist/ (price catalog: @pydantic/genai-prices ${snapshot.version})\n`);
