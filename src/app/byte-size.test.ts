import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.js';

describe('parseByteSize', () => {
  it('reads bytes, KiB and MiB', () => {
    expect(parseByteSize('65536', '--max-body', 1, 2 ** 30)).toBe(65_536);
    expect(parseByteSize('512KiB', '--max-body', 1, 2 ** 30)).toBe(524_288);
    expect(parseByteSize('4 mib', '--max-body', 1, 2 ** 30)).toBe(4 * 1024 * 1024);
  });

  it('refuses what is not a size, or out of bounds, naming the flag', () => {
    for (const bad of ['', '4MB', '-1', '1.5MiB', 'lots']) expect(() => parseByteSize(bad, '--max-body', 1, 2 ** 30)).toThrow(/--max-body expects a size/);
    expect(() => parseByteSize('2', '--max-body', 1024, 2 ** 30)).toThrow(/from 1024 bytes/);
  });
});
