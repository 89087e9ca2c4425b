import { resolve } from 'node:path';
import { badArgument } from '../core/errors.js';
import type { UsageEvent } from '../core/usage-event.js';
import type { DroppedRecord } from '../ledger/ledger.js';
import type { RecordResult } from '../ingest/record.js';
import { cleanLine } from '../ingest/text/clean-line.js';
import { readUsageLines, type BadLine, type UsageLine } from '../ingest/text/read-lines.js';
import { textAgent, type TextTool } from '../ingest/text/text-tool.js';
import { usageEvent } from '../ingest/text/usage-events.js';
import { newLines, TAIL_LINES } from './new-lines.js';
import { loadState, newState, saveState, statePath, type PollState } from './poll-state.js';
import { capturePane, paneInfo, type PaneInfo, type TmuxServer } from './tmux.js';

export interface PollSetup {
  server: TmuxServer;
  target: string;
  /** Each line goes to the first tool that recognises it. */
  tools: readonly TextTool[];
  flagModel?: string;
  sessionId?: string;
  project?: string;
  /** The ledger file; the state file sits beside it. */
  ledgerPath: string;
  /** Commits one step's events and drops (origin batch, budget checks). */
  record(origin: string, events: UsageEvent[], drops: DroppedRecord[]): Promise<RecordResult>;
  now(): number;
}

/** What one capture found. */
export interface PollStep {
  newLines: number;
  usages: UsageLine[];
  bad: BadLine[];
  events: UsageEvent[];
  inserted: number;
  duplicates: number;
  /** Models of `events` that no price matched. */
  unpricedModels: string[];
}

/** Polls one pane: each call of `step` captures it once and records the usage lines it had not seen. */
export class PanePoller {
  readonly pane: PaneInfo;
  readonly statePath: string;
  readonly #setup: PollSetup;
  #state: PollState;

  private constructor(setup: PollSetup, pane: PaneInfo, path: string, state: PollState) {
    this.#setup = setup;
    this.pane = pane;
    this.statePath = path;
    this.#state = state;
  }

  /** Resolves the target to its pane (a bad argument when there is none) and loads its state. */
  static async open(setup: PollSetup): Promise<PanePoller> {
    const pane = await paneInfo(setup.server, setup.target);
    if (pane === undefined) {
      throw badArgument(
        `no tmux pane "${setup.target}"${setup.server.socket === undefined ? '' : ` on socket ${setup.server.socket}`}`,
        'list panes with `tmux list-panes -a`; a target is session, session:window or session:window.pane, or a pane id like %3.',
      );
    }
    const path = statePath(setup.ledgerPath, pane.socketPath, pane.paneId);
    const state = loadState(path) ?? newState(pane.socketPath, pane.paneId, pane.panePid);
    return new PanePoller(setup, pane, path, state);
  }

  /** One capture; undefined when the pane is gone. */
  async step(): Promise<PollStep | undefined> {
    const { server, tools } = this.#setup;
    const info = await paneInfo(server, this.pane.paneId);
    if (info === undefined) return undefined;
    const captured = await capturePane(server, info.paneId, info.cursorY);
    if (captured === undefined) return undefined;
    // The cursor's line may still be being written: only the lines above it are settled.
    const settled = captured.slice(0, -1).map((line) => cleanLine(line).trimEnd());
    const state = this.#state;
    const samePane = info.panePid === state.panePid;
    const fresh = newLines(samePane ? state.previous : undefined, settled, info.historySize, info.historyLimit);
    const firstSeq = state.seq + 1;
    const reading = readUsageLines(tools, fresh, (i) => firstSeq + i);
    const sessionId = this.#setup.sessionId ?? `tmux-${info.sessionName}-${info.paneId.slice(1)}`;
    const ctx = { flagModel: this.#setup.flagModel, sessionId, project: resolve(this.#setup.project ?? (info.currentPath || process.cwd())), occurredAt: this.#setup.now() };
    const events = reading.usages.map((u) => usageEvent(ctx, u, `${textAgent(u.tool)}:tmux:${state.stream}:${u.line}`));
    const drops = reading.bad.map((b) => ({ path: `tmux:${info.name}`, line: b.line, reason: b.reason }));
    const result = events.length + drops.length === 0 ? { inserted: 0, duplicates: 0, unpricedModels: [] } : await this.#setup.record(`poll:${info.socketPath}:${info.paneId}`, events, drops);
    // Recorded first, saved second: a crash in between records the same lines under the same keys again.
    const next: PollState = {
      ...state,
      seq: state.seq + fresh.length,
      panePid: info.panePid,
      previous: { tail: settled.slice(-TAIL_LINES), count: settled.length, historySize: info.historySize },
    };
    if (fresh.length > 0 || JSON.stringify(next) !== JSON.stringify(state)) saveState(this.statePath, next);
    this.#state = next;
    return { newLines: fresh.length, usages: reading.usages, bad: reading.bad, events, inserted: result.inserted, duplicates: result.duplicates, unpricedModels: result.unpricedModels };
  }
}
