import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenledgerError } from '../../core/errors.js';
import { writeTextfileAtomic } from './textfile.js';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'tokenledger-textfile-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

/** Runs `write`, expecting the IO error that names `path`. */
function expectIoError(write: () => void, path: string): TokenledgerError {
  let caught: unknown;
  try {
    write();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TokenledgerError);
  const error = caught as TokenledgerError;
  expect(error.code).toBe('IO');
  expect(error.message).toContain(path);
  expect(error.hint).toBeDefined();
  return error;
}

describe('writeTextfileAtomic', () => {
  it('writes the whole text and leaves no temporary file', () => {
    const path = join(folder, 'tokenledger.prom');
    const text = `# TYPE x gauge\n${'x 1\n'.repeat(10_000)}`;
    writeTextfileAtomic(path, text);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(readdirSync(folder)).toEqual(['tokenledger.prom']);
  });

  it('replaces an existing file', () => {
    const path = join(folder, 'tokenledger.prom');
    writeFileSync(path, 'old contents, longer than the new ones\n');
    writeTextfileAtomic(path, 'x 2\n');
    expect(readFileSync(path, 'utf8')).toBe('x 2\n');
    expect(readdirSync(folder)).toEqual(['tokenledger.prom']);
  });

  it('creates missing parent folders', () => {
    const path = join(folder, 'textfile', 'collector', 'tokenledger.prom');
    writeTextfileAtomic(path, 'x 3\n');
    expect(readFileSync(path, 'utf8')).toBe('x 3\n');
  });

  it('fails with the path when the folder is a file, and leaves nothing behind', () => {
    writeFileSync(join(folder, 'not-a-folder'), 'plain file');
    const path = join(folder, 'not-a-folder', 'tokenledger.prom');
    expectIoError(() => writeTextfileAtomic(path, 'x 4\n'), path);
    expect(readdirSync(folder)).toEqual(['not-a-folder']);
    expect(readFileSync(join(folder, 'not-a-folder'), 'utf8')).toBe('plain file');
  });

  it('removes its temporary file when the final rename fails', () => {
    // A non-empty folder where the file should go: everything succeeds up to the rename.
    const path = join(folder, 'tokenledger.prom');
    mkdirSync(path);
    writeFileSync(join(path, 'keep'), '');
    expectIoError(() => writeTextfileAtomic(path, 'x 5\n'), path);
    expect(readdirSync(folder)).toEqual(['tokenledger.prom']);
    expect(readdirSync(path)).toEqual(['keep']);
  });
});
