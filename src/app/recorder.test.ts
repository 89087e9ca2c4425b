import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultUser, hostMachineId, machineId, resolveRecorder, stateFolder } from './recorder.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tl-recorder-'));
});
afterEach(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the user', () => {
  it('is config "user" when set, else $USER@hostname, else $LOGNAME@hostname', () => {
    const notes: string[] = [];
    const env = { HOME: dir, USER: 'ada', LOGNAME: 'lovelace' };
    expect(resolveRecorder('team-ada', env, (n) => notes.push(n)).user).toBe('team-ada');
    expect(resolveRecorder(undefined, env, (n) => notes.push(n)).user).toBe(`ada@${hostname()}`);
    expect(defaultUser({ LOGNAME: 'lovelace' })).toBe(`lovelace@${hostname()}`);
    expect(notes).toEqual([]);
  });

  it('drops control characters from the environment and is bounded', () => {
    expect(defaultUser({ USER: 'a\u001b[31mb' })).toBe(`a[31mb@${hostname()}`);
    expect(defaultUser({ USER: 'x'.repeat(500) })).toHaveLength(128);
  });
});

describe('the machine id', () => {
  it('is created once in $XDG_STATE_HOME/tokenledger/machine-id and read back after', () => {
    const env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state') };
    const first = machineId(env, () => {});
    expect(first).toMatch(UUID);
    expect(readFileSync(join(dir, 'state', 'tokenledger', 'machine-id'), 'utf8').trim()).toBe(first);
    expect(machineId(env, () => {})).toBe(first);
    // No temporary file is left behind.
    expect(readdirSync(join(dir, 'state', 'tokenledger'))).toEqual(['machine-id']);
  });

  it('defaults to ~/.local/state/tokenledger', () => {
    expect(stateFolder({ HOME: dir })).toBe(join(dir, '.local', 'state', 'tokenledger'));
    const id = machineId({ HOME: dir }, () => {});
    expect(readFileSync(join(dir, '.local', 'state', 'tokenledger', 'machine-id'), 'utf8').trim()).toBe(id);
  });

  it('keeps an id written by hand', () => {
    mkdirSync(join(dir, 'state', 'tokenledger'), { recursive: true });
    writeFileSync(join(dir, 'state', 'tokenledger', 'machine-id'), 'build-box-7\n');
    expect(machineId({ HOME: dir, XDG_STATE_HOME: join(dir, 'state') }, () => {})).toBe('build-box-7');
  });

  it('falls back to an id derived from the host name when the state folder cannot be written, saying so once', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere: nothing to test
    chmodSync(dir, 0o555);
    const notes: string[] = [];
    const env = { HOME: dir, XDG_STATE_HOME: join(dir, 'unwritable') };
    expect(machineId(env, (n) => notes.push(n))).toBe(hostMachineId());
    expect(machineId(env, (n) => notes.push(n))).toBe(hostMachineId());
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^note: cannot keep this machine's id in .*machine-id .*derived from the host name$/);
  });

  it('is the same for processes that create it at once', async () => {
    const bundle = join(dir, 'recorder.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./recorder.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
    });
    const script = `import { machineId } from ${JSON.stringify(bundle)}; process.stdout.write(machineId(process.env, (n) => process.stderr.write(n)));`;
    const env = { ...process.env, HOME: dir, XDG_STATE_HOME: join(dir, 'state') };
    const run = promisify(execFile);
    const outputs = await Promise.all(Array.from({ length: 6 }, () => run(process.execPath, ['--input-type=module', '-e', script], { env })));
    const ids = new Set(outputs.map((o) => o.stdout));
    expect(outputs.map((o) => o.stderr).join('')).toBe('');
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBe(readFileSync(join(dir, 'state', 'tokenledger', 'machine-id'), 'utf8').trim());
  });
});
