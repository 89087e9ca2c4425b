import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const EXTERNAL = ['better-sqlite3', '@pydantic/genai-prices', 'pg', 'pg-copy-streams'];

let bundled: Promise<URL> | undefined;

/**
 * The gateway's writer thread bundled as `build.mjs` bundles it (tests run the TypeScript sources,
 * which a worker thread cannot load): built once per test process into a temporary folder.
 */
export function gatewayWriterScript(): Promise<URL> {
  bundled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenledger-writer-'));
    const outfile = join(dir, 'gateway-writer.mjs');
    await build({
      entryPoints: [new URL('../gateway/gateway-writer.ts', import.meta.url).pathname],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Packages stay outside the bundle, named by their absolute paths (the bundle sits outside the project).
      plugins: [
        {
          name: 'absolute-externals',
          setup(b) {
            const require = createRequire(import.meta.url);
            b.onResolve({ filter: new RegExp(`^(${EXTERNAL.join('|')})$`) }, (args) => ({ path: require.resolve(args.path), external: true }));
          },
        },
      ],
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: 'warning',
    });
    return pathToFileURL(outfile);
  })();
  return bundled;
}
