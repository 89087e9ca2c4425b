import { statSync } from 'node:fs';
import { badArgument } from '../core/errors.js';

/** A folder a flag names, refused (exit 2) when it does not exist or is not a folder. */
export function existingFolder(path: string, flag: string): string {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    throw badArgument(`${flag} ${path}: no such folder`);
  }
  if (!isFolder) throw badArgument(`${flag} ${path}: not a folder`);
  return path;
}
