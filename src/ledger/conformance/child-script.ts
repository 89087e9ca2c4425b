import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { packageRoot } from '../../core/package-root.js';

/**
 * A file of this folder built into a script node runs as a process of its own (a writer to kill,
 * writers at once), in `dist/` so that it finds the packages left out of the bundle; `remove`
 * deletes it.
 */
export async function childScript(name: string): Promise<{ path: string; remove(): void }> {
  mkdirSync(join(packageRoot(), 'dist'), { recursive: true });
  const path = join(packageRoot(), 'dist', `conformance-${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [join(packageRoot(), 'src', 'ledger', 'conformance', `${name}.ts`)],
    outfile: path,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'pg', 'pg-copy-streams', '@pydantic/genai-prices'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return { path, remove: () => rmSync(path, { force: true }) };
}
