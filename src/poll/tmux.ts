import { execFile } from 'node:child_process';
import { TokenledgerError } from '../core/errors.js';
import type { Env } from '../sources/shared/roots.js';

/** Which tmux server to ask: `--tmux-socket` (a name as for `tmux -L`, or a path as for `tmux -S`), else tmux's own default ($TMUX inside tmux). */
export interface TmuxServer {
  socket?: string;
  env: Env;
}

/** What poll needs to know about a pane, read in one `display-message`. */
export interface PaneInfo {
  paneId: string;
  /** `session:window.pane`, for messages. */
  name: string;
  sessionName: string;
  /** Process id of the pane's first process: a new pane under a reused id has another. */
  panePid: number;
  cursorY: number;
  historySize: number;
  historyLimit: number;
  socketPath: string;
  currentPath: string;
}

const FIELDS = ['pane_id', 'session_name', 'window_index', 'pane_index', 'pane_pid', 'cursor_y', 'history_size', 'history_limit', 'socket_path', 'pane_current_path'];
/** tmux shows control characters in formats escaped, so fields are parted by a printable marker (the path, last, may hold anything). */
const SEPARATOR = '<|tokenledger|>';
/** tmux's words for a target or server that is not there. */
const GONE = /can't find|no server running|no such file or directory|error connecting|server exited|no current|not found/i;

const MAX_CAPTURE_BYTES = 256 * 1024 * 1024;

/** Runs tmux; undefined when it says the target or server is not there. */
function tmux(server: TmuxServer, args: readonly string[]): Promise<string | undefined> {
  const socket = server.socket === undefined ? [] : server.socket.includes('/') ? ['-S', server.socket] : ['-L', server.socket];
  return new Promise((resolve, reject) => {
    execFile('tmux', [...socket, ...args], { env: server.env, maxBuffer: MAX_CAPTURE_BYTES, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new TokenledgerError('IO', 'tmux is not installed or not on PATH', { hint: 'poll reads a tmux pane; install tmux (e.g. apt-get install tmux) or put it on PATH.' }));
      }
      if (GONE.test(stderr)) return resolve(undefined);
      reject(new TokenledgerError('IO', `tmux ${args[0]} failed: ${stderr.trim() || error.message}`));
    });
  });
}

/** The pane `target` names, or undefined when there is no such pane (or no server). */
export async function paneInfo(server: TmuxServer, target: string): Promise<PaneInfo | undefined> {
  const out = await tmux(server, ['display-message', '-p', '-t', target, FIELDS.map((f) => `#{${f}}`).join(SEPARATOR)]);
  if (out === undefined) return undefined;
  const [paneId, sessionName, window, pane, pid, cursorY, historySize, historyLimit, socketPath, ...path] = out.replace(/\n$/, '').split(SEPARATOR);
  const currentPath = path.join(SEPARATOR);
  if (paneId === undefined || !paneId.startsWith('%')) return undefined;
  return {
    paneId,
    name: `${sessionName}:${window}.${pane}`,
    sessionName: sessionName ?? '',
    panePid: Number(pid),
    cursorY: Number(cursorY),
    historySize: Number(historySize),
    historyLimit: Number(historyLimit),
    socketPath: socketPath ?? '',
    currentPath,
  };
}

/**
 * The pane's lines from the top of its history down to the cursor's line, wrapped lines joined
 * (`capture-pane -p -J -S - -E <cursor_y>`); undefined when the pane is gone.
 */
export async function capturePane(server: TmuxServer, paneId: string, cursorY: number): Promise<string[] | undefined> {
  const out = await tmux(server, ['capture-pane', '-p', '-J', '-t', paneId, '-S', '-', '-E', String(cursorY)]);
  if (out === undefined) return undefined;
  const lines = out.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
