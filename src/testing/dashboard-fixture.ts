import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { FixtureLedger } from './fixture-ledger.js';
import { runCliOn } from './run-cli.js';

/** A project folder whose name is markup: the page must show it as text. */
export const XSS_PROJECT = '/home/dev/<img src=x onerror=alert(1)>';

/** The range every view and every CLI run of the dashboard tests is filtered to. */
export const FIXTURE_FILTERS = { since: '2025-10-01', until: '2025-10-31', timezone: 'UTC' } as const;

/** `?since=…&until=…&timezone=UTC`: the fixture's filters as a view's query string. */
export const FIXTURE_QUERY = `?${new URLSearchParams(FIXTURE_FILTERS).toString()}`;

/** The fixture's filters as CLI flags. */
export const FIXTURE_FLAGS: readonly string[] = Object.entries(FIXTURE_FILTERS).flatMap(([name, value]) => [`--${name}`, value]);

interface SessionPlan {
  id: string;
  project: string;
  model: string;
  /** Day of October 2025 and the number of assistant messages. */
  day: number;
  messages: number;
}

const SESSIONS: readonly SessionPlan[] = [
  { id: 'sess-alpha', project: '/home/dev/app', model: 'claude-sonnet-4-5-20250929', day: 2, messages: 4 },
  { id: 'sess-beta', project: '/home/dev/app', model: 'claude-opus-4-5-20251101', day: 5, messages: 3 },
  { id: 'sess-gamma', project: XSS_PROJECT, model: 'claude-haiku-4-5-20251001', day: 9, messages: 5 },
  { id: 'sess-delta', project: '/home/dev/site', model: 'claude-sonnet-4-5-20250929', day: 20, messages: 2 },
];

/** Claude Code's transcript folder for a working directory (`/` becomes `-`). */
function projectFolder(root: string, project: string): string {
  return join(root, 'projects', project.replaceAll('/', '-'));
}

/** One assistant line of a Claude Code transcript, priced by its model and tokens. */
export function assistantLine(session: string, project: string, model: string, index: number, at: Date, outputTokens: number): string {
  return `${JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd: project,
    sessionId: session,
    version: '2.0.31',
    type: 'assistant',
    uuid: `${session}-u${index}`,
    requestId: `req_${session}_${index}`,
    timestamp: at.toISOString(),
    message: {
      id: `msg_${session}_${index}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 1000 + index * 37, cache_creation_input_tokens: 2000, cache_read_input_tokens: 10_000 * index, output_tokens: outputTokens },
    },
  })}\n`;
}

/** A fixture ledger holding four Claude Code sessions of October 2025, one in `XSS_PROJECT`. */
export class DashboardFixture {
  readonly ledger = new FixtureLedger();

  /** Writes the transcripts and records them (a CLI `sync`). */
  async create(): Promise<this> {
    for (const plan of SESSIONS) {
      let text = '';
      for (let i = 0; i < plan.messages; i++) text += assistantLine(plan.id, plan.project, plan.model, i, new Date(Date.UTC(2025, 9, plan.day, 9, i * 3)), 200 + i * 450);
      this.ledger.write(join('claude', 'projects', plan.project.replaceAll('/', '-'), `${plan.id}.jsonl`), text);
    }
    const synced = await this.cli(['sync']);
    if (synced.code !== 0) throw new Error(`sync failed: ${synced.stderr}`);
    return this;
  }

  /** The transcript file of a session. */
  transcript(sessionId: string): string {
    const plan = SESSIONS.find((s) => s.id === sessionId);
    if (plan === undefined) throw new Error(`no session ${sessionId} in the fixture`);
    return join(projectFolder(this.ledger.env.CLAUDE_CONFIG_DIR as string, plan.project), `${plan.id}.jsonl`);
  }

  /** Appends one more assistant message (a costly one, on 2025-10-21) to a session's transcript. */
  appendMessage(sessionId: string): void {
    const plan = SESSIONS.find((s) => s.id === sessionId) as SessionPlan;
    appendFileSync(this.transcript(sessionId), assistantLine(plan.id, plan.project, plan.model, 99, new Date(Date.UTC(2025, 9, 21, 10)), 40_000));
  }

  /** Runs the CLI in-process on the fixture (UTC); `--json` reports are parsed by the caller. */
  cli(args: readonly string[]): ReturnType<typeof runCliOn> {
    return runCliOn(this.ledger, args);
  }

  /** The CLI's JSON document for `report` with the fixture's filters (no sync: the ledger as served). */
  async json<T>(report: readonly string[]): Promise<T> {
    const run = await this.cli([...report, '--json', '--no-sync', ...FIXTURE_FLAGS]);
    if (run.code !== 0) throw new Error(`tokenledger ${report.join(' ')} --json exited ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
  }

  /** The environment `tokenledger serve` runs in: the fixture's agent roots, ledger, config folder and UTC. */
  serveEnv(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, ...this.ledger.env, TOKENLEDGER_DB: this.ledger.dbPath, XDG_CONFIG_HOME: join(this.ledger.dir, 'config'), TZ: 'UTC' };
  }

  /** The ids of the fixture's sessions. */
  static get sessionIds(): string[] {
    return SESSIONS.map((s) => s.id);
  }

  remove(): void {
    this.ledger.remove();
  }
}
