import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTextfileAtomic } from './textfile.js';
import { STALE_AFTER_MS, temporaryName } from './stale-temporaries.js';

let folder: string;
beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'tokenledger-stale-'))));
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** The pid of a process that has exited: no process runs under it now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function leave(name: string, ageMs = 0): string {
  const path = join(folder, name);
  writeFileSync(path, 'x'.repeat(1000));
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(path, at, at);
  return name;
}

describe('writeTextfileAtomic and the temporary files of killed writes', () => {
  it("removes those whose writer is gone or that are old, and keeps a live writer's and anything not ours", () => {
    const killed = leave(temporaryName('tokenledger.prom', deadPid(), 'a1b2c3d4e5f6'));
    const oldOfLiveProcess = leave(temporaryName('tokenledger.prom', process.ppid, '0123456789ab'), STALE_AFTER_MS + 60_000);
    const writing = leave(temporaryName('tokenledger.prom', process.ppid, 'abcdefabcdef'));
    const otherTextfile = leave(temporaryName('other.prom', deadPid(), 'a1b2c3d4e5f6'));
    const notOurPattern = leave('.tokenledger.prom.notes.tmp');

    writeTextfileAtomic(join(folder, 'tokenledger.prom'), 'x 1\n');

    const left = readdirSync(folder);
    expect(left).not.toContain(killed);
    expect(left).not.toContain(oldOfLiveProcess);
    expect(left.sort()).toEqual([writing, otherTextfile, notOurPattern, 'tokenledger.prom'].sort());
  });
});
