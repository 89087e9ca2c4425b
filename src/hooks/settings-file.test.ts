import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { backupPath, readSettings, writeSettings } from './settings-file.js';

const NOW = Date.UTC(2025, 9, 10, 12);
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tokenledger-settings-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const THEIRS = '{\n  "x": 12345678901234567890,\n  "ratio": 1.0,\n  "nested": { "id": -98765432109876543210 }\n}\n';

describe('writeSettings', () => {
  it("edits a symlinked file's target and keeps the link (dotfiles stay the one copy)", () => {
    mkdirSync(join(dir, 'dotfiles'));
    mkdirSync(join(dir, '.claude'));
    const target = join(dir, 'dotfiles', 'settings.json');
    writeFileSync(target, '{"model": "opus"}\n');
    const link = join(dir, '.claude', 'settings.json');
    symlinkSync('../dotfiles/settings.json', link);

    const file = readSettings(link);
    const backup = writeSettings(file, { ...file.settings, added: true }, NOW);

    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ model: 'opus', added: true });
    expect(backup).toBe(backupPath(link, NOW));
    expect(readFileSync(backup as string, 'utf8')).toBe('{"model": "opus"}\n');
    expect(readdirSync(join(dir, 'dotfiles'))).toEqual(['settings.json']);
  });

  it("writes a dangling symlink's target, creating it", () => {
    const link = join(dir, 'settings.json');
    symlinkSync('real.json', link);
    writeSettings(readSettings(link), { a: 1 }, NOW);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('{\n  "a": 1\n}\n');
  });

  it('keeps integers above 2^53 and other numbers it does not own as their exact text', () => {
    const path = join(dir, 'settings.json');
    writeFileSync(path, THEIRS);
    const file = readSettings(path);
    writeSettings(file, { ...file.settings, hooks: {} }, NOW);
    const written = readFileSync(path, 'utf8');
    expect(written).toContain('"x": 12345678901234567890');
    expect(written).toContain('"ratio": 1.0');
    expect(written).toContain('"id": -98765432109876543210');
  });

  it('refuses to replace a file changed since it was read, keeping the other change and leaving nothing behind', () => {
    const path = join(dir, 'settings.json');
    writeFileSync(path, '{"model": "opus"}\n');
    const file = readSettings(path);
    writeFileSync(path, '{"model": "sonnet", "editor": "saved meanwhile"}\n');
    let thrown: unknown;
    try {
      writeSettings(file, { ...file.settings, added: true }, NOW);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TokenledgerError);
    expect((thrown as TokenledgerError).message).toBe(`${path} was changed by something else while tokenledger was editing it; nothing was changed`);
    expect((thrown as TokenledgerError).hint).toContain('run the command again');
    expect(readFileSync(path, 'utf8')).toBe('{"model": "sonnet", "editor": "saved meanwhile"}\n');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('refuses to write where a file appeared since none was read', () => {
    const path = join(dir, 'settings.json');
    const file = readSettings(path);
    writeFileSync(path, '{"created": "meanwhile"}\n');
    expect(() => writeSettings(file, { a: 1 }, NOW)).toThrow(/changed by something else/);
    expect(readFileSync(path, 'utf8')).toBe('{"created": "meanwhile"}\n');
  });

  it('never overwrites a backup another install took in the same second', () => {
    const path = join(dir, 'settings.json');
    writeFileSync(path, '{"v": 2}\n');
    writeFileSync(backupPath(path, NOW), '{"v": 1}\n');
    const backup = writeSettings(readSettings(path), { v: 3 }, NOW);
    expect(backup).toBe(`${backupPath(path, NOW)}-2`);
    expect(readFileSync(backupPath(path, NOW), 'utf8')).toBe('{"v": 1}\n');
    expect(readFileSync(backup as string, 'utf8')).toBe('{"v": 2}\n');
    expect(existsSync(`${path}.tokenledger-${process.pid}.tmp`)).toBe(false);
  });
});
