import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/package-root.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const bin = join(packageRoot(), 'bin', 'tokenledger');
const OURS = { stop: `${process.execPath} ${bin} hook stop`, guard: `${process.execPath} ${bin} hook guard` };

/** A user's settings with keys and hooks of their own. */
const THEIRS = {
  model: 'opus',
  permissions: { allow: ['Bash(npm test:*)'], deny: [] },
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '~/bin/check-bash.sh' }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'say done', timeout: 5 }] }],
    Notification: [{ hooks: [{ type: 'command', command: 'notify-send claude' }] }],
  },
  statusLine: { type: 'command', command: 'echo hi' },
};
const text = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

let ledger: FixtureLedger;
let project: string;
beforeEach(() => {
  ledger = new FixtureLedger();
  project = join(ledger.dir, 'my project');
});
afterEach(() => ledger.remove());

const cli = (args: string[], now = NOW) => runCliOn(ledger, ['hooks', ...args], { now });
const projectFile = (): string => join(project, '.claude', 'settings.json');
const read = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));
const backups = (path: string): string[] => (existsSync(join(path, '..')) ? readdirSync(join(path, '..')).filter((f) => f.includes('.tokenledger-backup-')) : []);

describe('hooks install', () => {
  it("merges tokenledger's entries with the settings there, keeps a backup, and changes nothing the second time", async () => {
    const path = ledger.write('my project/.claude/settings.json', text(THEIRS));
    const r = await cli(['install', '--project', '--dir', project]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`Installed tokenledger's Claude Code hooks in ${path}:`);
    const backup = `${path}.tokenledger-backup-20251010T120000Z`;
    expect(r.stdout).toContain(`Backup of the file as it was: ${backup}\n`);
    expect(readFileSync(backup, 'utf8')).toBe(text(THEIRS));

    const hook = (command: string) => ({ hooks: [{ type: 'command', command, timeout: 30 }] });
    expect(read(path)).toEqual({
      ...THEIRS,
      hooks: {
        PreToolUse: [...THEIRS.hooks.PreToolUse, { matcher: '*', ...hook(OURS.guard) }],
        Stop: [...THEIRS.hooks.Stop, hook(OURS.stop)],
        Notification: THEIRS.hooks.Notification,
        UserPromptSubmit: [hook(OURS.guard)],
      },
    });
    const installed = readFileSync(path, 'utf8');

    const again = await cli(['install', '--project', '--dir', project], NOW + 5000);
    expect(again.stdout).toBe(`tokenledger's hooks are already installed in ${path}; nothing changed.\n`);
    expect(readFileSync(path, 'utf8')).toBe(installed);
    expect(backups(path)).toEqual(['settings.json.tokenledger-backup-20251010T120000Z']);
  });

  it('uninstall removes only its entries, leaving the rest as it was', async () => {
    const path = ledger.write('my project/.claude/settings.json', text(THEIRS));
    await cli(['install', '--project', '--dir', project]);
    const u = await cli(['uninstall', '--project', '--dir', project], NOW + 1000);
    expect(u.code).toBe(0);
    expect(u.stdout).toContain(`Uninstalled tokenledger's Claude Code hooks from ${path}:`);
    expect(u.stdout).toContain('Backup of the file as it was: ');
    expect(readFileSync(path, 'utf8')).toBe(text(THEIRS));
    expect(backups(path)).toHaveLength(2);
    expect((await cli(['uninstall', '--project', '--dir', project])).stdout).toBe(`No tokenledger hooks in ${path}; nothing changed.\n`);
  });

  it('creates a file that is not there (no backup), and uninstall leaves it empty', async () => {
    const r = await cli(['install', '--local', '--dir', project]);
    const path = join(project, '.claude', 'settings.local.json');
    expect(r.stdout).toContain('(no file was there before, so there is no backup)');
    expect(Object.keys(read(path).hooks)).toEqual(['Stop', 'UserPromptSubmit', 'PreToolUse']);
    await cli(['uninstall', '--local', '--dir', project]);
    expect(read(path)).toEqual({});
  });

  it('writes to the user settings in CLAUDE_CONFIG_DIR by default', async () => {
    expect((await cli(['install'])).code).toBe(0);
    expect(read(join(ledger.env.CLAUDE_CONFIG_DIR as string, 'settings.json')).hooks.Stop[0].hooks[0].command).toBe(OURS.stop);
    const status = await cli(['status', '--dir', project, '--json']);
    expect(JSON.parse(status.stdout).files.map((f: any) => [f.scope, f.exists, f.entries.length])).toEqual([
      ['user', true, 3],
      ['project', false, 0],
      ['local', false, 0],
    ]);
  });

  it('passes --db, --config and --namespace on (absolute, quoted), replacing an entry of an earlier install', async () => {
    await cli(['install', '--project', '--dir', project]);
    const db = join(ledger.dir, 'my ledger.db');
    const r = await cli(['install', '--project', '--dir', project, '--db', db, '--config', join(ledger.dir, 'c.json'), '--namespace', 'team', '--json']);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({ file: projectFile(), scope: 'project', changed: true, dryRun: false });
    expect(body.entries.map((e: any) => e.action)).toEqual(['updated', 'updated', 'updated']);
    const settings = read(projectFile());
    expect(settings.hooks.PreToolUse).toHaveLength(1);
    expect(settings.hooks.Stop[0].hooks[0].command).toBe(`${OURS.stop} --db '${db}' --config ${join(ledger.dir, 'c.json')} --namespace team`);
  });

  it('--dry-run prints the settings it would write and writes nothing', async () => {
    const path = ledger.write('my project/.claude/settings.json', text(THEIRS));
    const r = await cli(['install', '--project', '--dir', project, '--dry-run']);
    expect(JSON.parse(r.stdout).hooks.UserPromptSubmit[0].hooks[0].command).toBe(OURS.guard);
    expect(r.stderr).toBe(`(dry run: nothing was written to ${path})\n`);
    expect(readFileSync(path, 'utf8')).toBe(text(THEIRS));
    expect(backups(path)).toEqual([]);
  });

  it('refuses a file that is not a JSON object of settings, writing nothing', async () => {
    const cases: [string, RegExp][] = [
      [
        '{\n  "model": "opus",\n  "hooks": {,}\n}\n',
        /settings\.json:3:13 is not valid JSON: expected a property name in double quotes, found ','; nothing was changed\n3 \| {3}"hooks": \{,\}\n {2}\| {13}\^/,
      ],
      ['[1, 2]\n', /settings\.json does not hold a JSON object/],
      ['{"hooks": []}\n', /settings\.json: "hooks" is not an object/],
      ['{"hooks": {"Stop": {"command": "x"}}}\n', /settings\.json: "hooks.Stop" is not an array/],
    ];
    for (const [content, message] of cases) {
      const path = ledger.write('my project/.claude/settings.json', content);
      for (const verb of ['install', 'uninstall']) {
        const r = await cli([verb, '--project', '--dir', project]);
        expect(r.code, content).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(readFileSync(path, 'utf8')).toBe(content);
      }
      expect(backups(path)).toEqual([]);
    }
  });

  it('rejects flags that contradict each other', async () => {
    expect((await cli(['install', '--project', '--local'])).stderr).toContain('choose one of --user, --project and --local, got --project and --local');
    expect((await cli(['install', '--dir', project])).stderr).toContain('--dir names a project folder: use it with --project or --local');
  });

  it('--statusline sets the status line to ours, never replaces another program\u2019s, and removes only ours', async () => {
    const { statusLine: _theirs, ...withoutLine } = THEIRS;
    const path = ledger.write('my project/.claude/settings.json', text(withoutLine));
    const ourLine = `${process.execPath} ${bin} statusline --namespace team`;
    const r = await cli(['install', '--project', '--dir', project, '--statusline', '--namespace', 'team']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`  statusLine +added +${ourLine.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\n`));
    expect(read(path).statusLine).toEqual({ type: 'command', command: ourLine });
    expect(read(path).model).toBe('opus');
    expect((await cli(['status', '--dir', project])).stdout).toContain('statusLine: statusline');
    expect(JSON.parse((await cli(['status', '--dir', project, '--json'])).stdout).files[1].statusline).toBe(ourLine);
    // Uninstalling without --statusline keeps it; with it, it goes.
    await cli(['uninstall', '--project', '--dir', project]);
    expect(read(path).statusLine).toEqual({ type: 'command', command: ourLine });
    const removed = await cli(['uninstall', '--project', '--dir', project, '--statusline']);
    expect(removed.stdout).toMatch(/ {2}statusLine +removed +/);
    expect(read(path)).toEqual(withoutLine);

    // Another program's status line: refused, nothing written; uninstall leaves it.
    const theirs = ledger.write('my project/.claude/settings.json', text(THEIRS));
    const refused = await cli(['install', '--project', '--dir', project, '--statusline']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`already has a status line, not tokenledger's ("echo hi"); nothing was written`);
    expect(readFileSync(theirs, 'utf8')).toBe(text(THEIRS));
    expect((await cli(['uninstall', '--project', '--dir', project, '--statusline'])).stdout).toContain('nothing changed');
    expect(read(theirs).statusLine).toEqual(THEIRS.statusLine);
  });
});

describe('hooks install with a server ledger', () => {
  it('writes a URL without a password into the hooks, and refuses one holding a password (exit 2, not written)', async () => {
    const ok = await runCliOn(ledger, ['hooks', 'install', '--db', 'postgres://team@db.internal:5432/ledger'], { now: NOW });
    expect(ok.code).toBe(0);
    const settings = join(ledger.env.CLAUDE_CONFIG_DIR!, 'settings.json');
    expect(readFileSync(settings, 'utf8')).toContain('--db postgres://team@db.internal:5432/ledger');
    const before = readFileSync(settings, 'utf8');
    const refused = await runCliOn(ledger, ['hooks', 'install', '--db', 'postgres://team:s3cret-pw@db.internal/ledger'], { now: NOW });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('holds a password');
    expect(refused.stderr).not.toContain('s3cret-pw');
    expect(readFileSync(settings, 'utf8')).toBe(before);
  });
});
