import { join } from 'node:path';
import { packageRoot } from '../core/package-root.js';

/** Where the build writes the price catalog snapshot. */
export function catalogPath(): string {
  return join(packageRoot(), 'dist', 'price-catalog.json');
}
