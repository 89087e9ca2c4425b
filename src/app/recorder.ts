import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir, hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { describeError } from '../core/errors.js';
import { digest } from '../core/digest.js';
import { MAX_RECORDER_TEXT, validRecorderText, type Recorder } from '../ledger/recorder.js';
import { expandHome, type Env } from '../sources/shared/roots.js';

/** `$XDG_STATE_HOME/tokenledger` (default `~/.local/state/tokenledger`): where the machine id is kept. */
export function stateFolder(env: Env): string {
  const home = env.HOME ?? homedir();
  return join(env.XDG_STATE_HOME ? expandHome(env.XDG_STATE_HOME, home) : join(home, '.local', 'state'), 'tokenledger');
}

/**
 * Who records through the ledgers this process opens: config `user`, else `$USER@hostname`, and
 * this machine's id (`machineId`). `note` hears, once per state folder, that the id could not be
 * kept; nothing here fails a command.
 */
export function resolveRecorder(configUser: string | undefined, env: Env, note: (text: string) => void): Recorder {
  return { user: configUser ?? defaultUser(env), machine: machineId(env, note) };
}

/** `$USER@hostname` (`LOGNAME` when `USER` is unset), bounded and without control characters. */
export function defaultUser(env: Env): string {
  let name = env.USER || env.LOGNAME;
  if (!name) {
    try {
      name = userInfo().username;
    } catch {
      name = 'unknown';
    }
  }
  return clean(`${name}@${hostname()}`);
}

const noted = new Set<string>();

/**
 * This machine's id: a random UUID kept in `<state folder>/machine-id`, created on first use. Two
 * processes creating it at once agree on one: each writes its own temporary file and links it to
 * the name (a link never replaces an existing file), then both read back what won. When the
 * folder cannot be written, an id derived from the host name stands in (said once through `note`).
 */
export function machineId(env: Env, note: (text: string) => void): string {
  const folder = stateFolder(env);
  const file = join(folder, 'machine-id');
  const existing = readId(file);
  if (existing !== undefined) return existing;
  try {
    mkdirSync(folder, { recursive: true });
    const temporary = join(folder, `.machine-id.${process.pid}.${randomUUID()}`);
    writeFileSync(temporary, `${randomUUID()}\n`, { mode: 0o644 });
    try {
      linkSync(temporary, file);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
    const kept = readId(file);
    if (kept !== undefined) return kept;
    throw new Error(`${file} holds no usable id`);
  } catch (error) {
    const fallback = hostMachineId();
    if (!noted.has(folder)) {
      noted.add(folder);
      note(`note: cannot keep this machine's id in ${file} (${describeError(error)}); using ${fallback}, derived from the host name`);
    }
    return fallback;
  }
}

/** The stand-in id of a machine whose state folder cannot be written: stable for its host name. */
export function hostMachineId(): string {
  return `host-${digest(hostname())}`;
}

function readId(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const id = text.trim();
  return validRecorderText(id) ? id : undefined;
}

function clean(text: string): string {
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  return printable.slice(0, MAX_RECORDER_TEXT) || 'unknown';
}
