import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let version: string | undefined;

/** Version of the installed `@pydantic/genai-prices`, read from its manifest. */
export function catalogVersion(): string {
  if (version === undefined) {
    const require = createRequire(import.meta.url);
    const main = require.resolve('@pydantic/genai-prices');
    version = (JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string }).version;
  }
  return version;
}
