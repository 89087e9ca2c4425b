import type { PricedEvent, RateLimitSnapshot, TokenCounts } from '../core/usage-event.js';
import type { GatewayLedger, Settlement } from './gateway-keys.js';
import type { Recorder } from './recorder.js';

/**
 * The ledger's contract. Sources, sync and analytics see only these interfaces; engines
 * (SQLite today) implement them. Every method may be asynchronous so that a networked engine fits.
 */
export interface Ledger extends LedgerWriter, LedgerReader, GatewayLedger {
  /** Where the ledger lives, for messages. */
  readonly location: string;
  /**
   * True when the ledger can only be read here (its file or folder cannot be written, as on a
   * shared read-only mount): reads work, every write fails as LEDGER_READ_ONLY.
   */
  readonly readOnly: boolean;
  close(): Promise<void>;
}

/** How far a file has been read: committed in the same transaction as the events it produced. */
export interface FileCursor {
  path: string;
  agent: string;
  /** File identity: a replaced file has another device/inode pair. */
  dev: number;
  ino: number;
  /** Bytes of the file this cursor has examined (the whole file once a read reaches its end). */
  size: number;
  mtimeMs: number;
  /**
   * The file's change time (ms) when it was read: `touch -r` can put a modification time back, never
   * this one. Absent in cursors written before it was kept.
   */
  ctimeMs?: number;
  /** Byte offset just past the last consumed line. */
  offset: number;
  /** Lines consumed, so drop reasons can name line numbers. */
  lineCount: number;
  /** The bytes just before `offset` (base64), to notice a file rewritten in place. */
  fingerprint: string;
  /** The parser's carry-over state after the last consumed line. */
  state: unknown;
}

export interface DroppedRecord {
  path: string;
  /** 1-based line number, or 0 for the whole file. */
  line: number;
  reason: string;
}

/** What a batch carries, whatever it was read from. */
export interface BatchContent {
  events: PricedEvent[];
  rateLimits: RateLimitSnapshot[];
  drops: DroppedRecord[];
  /**
   * Gateway requests these events are the usage of (`gateway-keys.ts`): their reservations,
   * budget sums and key meters are settled in the same transaction as the events. A file batch
   * skipped because its range was committed before (the gateway's spill journal replayed twice)
   * settles nothing.
   */
  settlements?: readonly Settlement[];
}

/** Events read from a file the ledger follows: committed with the file's cursor. */
export interface FileBatch extends BatchContent {
  /** The cursor this batch was read from (undefined for a file never read before). */
  from: FileCursor | undefined;
  /** The cursor after this batch. */
  to: FileCursor;
}

/**
 * Events from something the ledger does not follow by offset (a piped ingest, a drop-folder file,
 * a captured terminal pane): nothing but their dedup keys keeps them from being counted twice.
 */
export interface OriginBatch extends BatchContent {
  /** Names where the events came from, `<kind>:<detail>` (e.g. `ingest:stdin`); drops are filed under it. */
  origin: string;
}

export type CommitBatch = FileBatch | OriginBatch;

export interface CommitResult {
  /** New events. */
  inserted: number;
  /** Events that replaced a smaller copy of themselves (streamed partials). */
  replaced: number;
  /** Events already in the ledger, or replays of one that is. */
  duplicates: number;
  /** Batches skipped because another writer had already committed their range. */
  skipped: number;
  /** Level crossings the commit's checks recorded first. */
  crossings: BudgetCrossing[];
}

/**
 * The finest time grain of sums the ledger answers (a quarter hour: local days start on quarter
 * hours in every zone in use today). Time filters of sums are rounded out to it.
 */
export const GRAIN_MS = 900_000;

/**
 * Prompt sizes (tokens) above which some model's long-context prices start. The ledger keeps usage
 * apart by band (the largest cut a request's prompt is above, else 0), so requests can be re-priced
 * exactly with any model whose tiers start at these cuts. Changing the list takes a migration that
 * re-sums the bands.
 */
export const PROMPT_CUTS: readonly number[] = [128_000, 199_999, 200_000, 271_999, 272_000, 512_000];

/** The band of a prompt of `tokens`: the largest cut it is above, else 0. */
export function promptBand(tokens: number): number {
  let band = 0;
  for (const cut of PROMPT_CUTS) if (tokens > cut) band = cut;
  return band;
}

/** Which usage a budget or a spend query is about, within a namespace. */
export type Scope =
  | { kind: 'global' }
  | { kind: 'project'; value: string }
  | { kind: 'session'; value: string }
  | { kind: 'agent'; value: string }
  | { kind: 'user'; value: string }
  | { kind: 'key'; value: string };

export interface SpendFilter {
  namespace: string;
  scope: Scope;
  /** UTC epoch ms; `until` exclusive. Rounded out to `GRAIN_MS`. */
  since?: number;
  until?: number;
}

export interface Spend {
  costNanos: number;
  /** Sessions with usage in the filter. */
  sessions: number;
}

export interface Budget {
  id: number;
  namespace: string;
  /** As written: `global`, `project:<name>`, `session:<id>`, `agent:<id>`, `user:<name>`, `key:<gateway key name>`. */
  scope: string;
  /** As written: `today`, `week`, `month`, `all`, or a rolling window such as `7d`. */
  period: string;
  amountNanos: number;
  setAt: number;
}

export interface BudgetCrossing {
  budgetId: number;
  periodKey: string;
  level: string;
  spentNanos: number;
  at: number;
}

/**
 * The times a commit's events span in one namespace, and what they touch there: a budget whose
 * scope they touch none of cannot have its spend moved by the commit, so its spend is not read.
 */
export interface WrittenSpan {
  readonly firstAt: number;
  readonly lastAt: number;
  readonly agents: ReadonlySet<string>;
  /** Session id -> the agents the commit wrote it under (a session id is unique per agent). */
  readonly sessions: ReadonlyMap<string, ReadonlySet<string>>;
  /** Project paths as recorded. */
  readonly projects: ReadonlySet<string>;
}

/** A spend a check needs read once a commit's events are written, and the budget it is for. */
export interface SpendRead {
  budget: Budget;
  filter: SpendFilter;
  /** The budget period the spend is read over (`periodWindow`'s key). */
  periodKey: string;
}

/**
 * A check that runs with every commit, as data rather than code inside a transaction: which
 * spends to read once the commit's events are written, and which level crossings follow from
 * them. Both are pure; the engine does the reading and recording (`commit-checks.ts`), in the
 * commit's transaction and under the serialisation rule below, so a check sees every commit that
 * finished before its own and its crossings are committed with its events or not at all.
 *
 * **Isolation rule, every engine:** commits touching a namespace are serialised: the spend reads
 * and crossing records of one commit see the events of every commit to the same namespace that
 * finished before it (SQLite: one writer at a time; PostgreSQL: a transaction-scoped advisory
 * lock per namespace, taken in sorted order). Crossings are announced (`committed`) only after
 * the transaction has committed, never from inside one that may still fail or retry.
 */
export interface CommitCheck {
  reads(namespace: string, span: WrittenSpan, budgets: readonly Budget[]): SpendRead[];
  crossings(read: SpendRead, spend: Spend): BudgetCrossing[];
  /** The crossings this commit recorded first (none were recorded before), once it is durable. */
  committed?(crossings: readonly BudgetCrossing[]): void;
}

/** A level crossing with its budget, as alert delivery sees it. */
export interface RecordedCrossing extends BudgetCrossing {
  budget: Budget;
  /** When an alert about it was sent (absent: not yet). */
  notifiedAt?: number;
}

/**
 * Spend a federated peer reported for one task. A task is kept once per peer: a later report of
 * the same task replaces the stored one when it is larger (running totals).
 */
export interface FederationSpend {
  namespace: string;
  peerId: string;
  taskId: string;
  tokensUsed: number;
  usdNanos: number;
  /** Epoch ms. */
  occurredAt: number;
}

export interface FederationResult {
  inserted: number;
  /** Reports that raised a task's stored totals. */
  updated: number;
  /** Reports that were already stored, or smaller than what is. */
  duplicates: number;
}

/** Spend of one federated peer over a time range. */
export interface PeerSpend {
  peerId: string;
  tasks: number;
  tokensUsed: number;
  usdNanos: number;
  lastAt: number;
}

export interface LedgerWriter {
  /** File cursors keyed by path: of `paths` only when given, else every one. */
  cursors(paths?: readonly string[]): Promise<Map<string, FileCursor>>;
  /**
   * Writes batches (each with its file's cursor) in one transaction; a batch another writer has
   * already applied is skipped. `checks` run last, in the same transaction.
   */
  commit(batches: readonly CommitBatch[], checks?: readonly CommitCheck[]): Promise<CommitResult>;
  /** Sets (or replaces) the budget of a namespace, scope and period. */
  setBudget(budget: Omit<Budget, 'id'>): Promise<Budget>;
  /** Removes a budget; returns whether there was one. */
  removeBudget(namespace: string, scope: string, period: string): Promise<boolean>;
  /**
   * Claims a recorded crossing for alerting: true for exactly one caller, however many processes
   * ask. `release` gives it back (the alert could not be sent) so that a later attempt sends it.
   */
  claimCrossing(crossing: BudgetCrossing, at: number): Promise<boolean>;
  releaseCrossing(crossing: BudgetCrossing): Promise<void>;
  /** Stores federated peers' spend (idempotent per peer and task). */
  recordFederation(spends: readonly FederationSpend[]): Promise<FederationResult>;
  /** Id of a price version label, creating it on first use. */
  priceVersionId(label: string): Promise<number>;
  /**
   * Remembers how far this ledger was copied to or from another (`mark`): `position` is a change
   * position (`changes`) of the ledger the events were read from. A mark never moves back. Kept
   * in the ledger itself, written whole or not at all by its own transactions (a state file
   * would need its own atomic replace, and has no place beside a server ledger).
   */
  setMark(name: string, position: number): Promise<void>;
  /**
   * Re-prices every event with `price` (a pure function, which may run outside any transaction),
   * in batches; returns how many costs changed. Safe beside other writers: a cost is written only
   * for the token counts the event holds when it is written, so an event a concurrent commit
   * replaced is priced from its new counts, never left with a cost computed from the old ones.
   */
  reprice(priceVersionId: number, price: (event: RepriceInput) => RepriceOutput): Promise<RepriceResult>;
  /**
   * A report's write phase before `days` in `zone`: brings whatever the engine keeps summed by
   * local day of `zone` up to date, so that `days` (which never writes) can answer from it. It
   * never waits on another writer: it may leave the sums as they are, and `days` answers the same
   * rows either way, only slower. An engine that keeps no such sums does nothing (PostgreSQL).
   */
  prepareDays(zone: LocalDays): Promise<void>;
}

export interface RepriceInput extends TokenCounts {
  model: string;
  provider: string;
  occurredAt: number;
  /** The stored service tier (undefined: standard). */
  serviceTier: string | undefined;
}

export interface RepriceOutput {
  costNanos: number;
  unpriced: boolean;
}

export interface RepriceResult {
  events: number;
  changed: number;
  stillUnpriced: number;
}

/** Filters every report accepts. Times are UTC epoch ms, `until` exclusive. */
/** A namespace and the agents with usage in it (sorted). */
export interface Partition {
  namespace: string;
  agents: string[];
}

export interface UsageFilter {
  /** The ledger partition; every reader call is about one. */
  namespace: string;
  since?: number;
  until?: number;
  agents?: readonly string[];
  /** Exact project paths. */
  projects?: readonly string[];
  /** Providers of the models (`anthropic`, `openai`, `google`, or as an ingest recorded it). */
  providers?: readonly string[];
  /** Users who recorded the usage (`Recorder.user`). */
  users?: readonly string[];
  /** Machine ids the usage was recorded on (`Recorder.machine`). */
  machines?: readonly string[];
}

export interface UsageTotals extends TokenCounts {
  costNanos: number;
  events: number;
  /** Events whose model had no price (cost counted as 0). */
  unpricedEvents: number;
}

/**
 * Usage summed per quarter hour (UTC), session, project and model: the grain every period report
 * is built from. Quarter hours keep local days exact in every time zone in use today.
 */
export interface RollupRow extends UsageTotals {
  /** Start of the quarter hour, UTC epoch ms. */
  bucketStart: number;
  agent: string;
  sessionId: string;
  project: string;
  model: string;
  /** Who recorded the session's usage (`session` reports show it). */
  user?: string;
}

/** Key of a session in maps: agents name their sessions independently. */
export function sessionKey(agent: string, sessionId: string): string {
  return `${agent}\0${sessionId}`;
}

/** Usage summed per local day (of one time zone), agent, project and model. */
export interface DayRow extends UsageTotals {
  /** Days since 1970-01-01 in the report's time zone. */
  day: number;
  agent: string;
  project: string;
  model: string;
  /**
   * Who recorded it (`Recorder.user`): rows are kept apart per user (the same day, agent, project
   * and model may come in several rows, one per user or machine), so `daily --by user` can split them.
   */
  user?: string;
}

/** What the ledger needs of a time zone to sum usage by local day (`ZoneClock` provides it). */
export interface LocalDays {
  /** Identifies the zone's rules (name and time zone database version). */
  readonly key: string;
  localDay(utcMs: number): number;
  startOfLocalDay(day: number): number;
  /** Stretches of constant UTC offset covering `[fromMs, toMs)`. */
  segments(fromMs: number, toMs: number): { fromMs: number; offsetMs: number }[];
}

/** Filters of day-level reports: inclusive local days. */
export interface DayFilter {
  namespace: string;
  sinceDay?: number;
  untilDay?: number;
  agents?: readonly string[];
  projects?: readonly string[];
  users?: readonly string[];
  machines?: readonly string[];
}

export interface SessionInfo {
  agent: string;
  sessionId: string;
  firstActivity: number;
  lastActivity: number;
  /** Who recorded the session (`Recorder.user`, `Recorder.machine`). */
  user?: string;
  machine?: string;
}

/** What `usage` can group by. */
export type UsageDimension = 'session' | 'project' | 'model' | 'promptBand' | 'bucket' | 'user';

/** Usage summed over the dimensions asked for; the fields of the others are absent. */
export interface UsageRow extends UsageTotals {
  /** With `session`. */
  agent?: string;
  sessionId?: string;
  /** With `project`. */
  project?: string;
  /** With `model`. */
  model?: string;
  provider?: string;
  /** With `promptBand`: the requests' prompts are all above this many tokens (`PROMPT_CUTS`), and none above the next cut. */
  promptAbove?: number;
  /** With `bucket`: the quarter hour's start. */
  bucketStart?: number;
  /** With `user`: who recorded the usage. */
  user?: string;
}

/** Usage of one model in one conversation (a stretch of a session without a long pause). */
export interface ConversationRow extends UsageTotals {
  agent: string;
  sessionId: string;
  project: string;
  model: string;
  provider: string;
  /** Start of its first quarter hour and end of its last (UTC epoch ms). */
  startedAt: number;
  endedAt: number;
}

/** One request, as `sessionEvents` lists them. */
export interface EventRow extends TokenCounts {
  occurredAt: number;
  project: string;
  model: string;
  provider: string;
  costNanos: number;
  unpriced: boolean;
  sidechain: boolean;
  /** The service tier it was served at (fast, flex, …); absent for standard service. */
  serviceTier?: string;
}

/** A request served at a service tier other than standard, as `tieredEvents` lists them. */
export interface TieredEventRow extends TokenCounts {
  occurredAt: number;
  agent: string;
  sessionId: string;
  model: string;
  provider: string;
  serviceTier: string;
  costNanos: number;
  unpriced: boolean;
}

/** A model and a service tier its events were served at, with how many. */
export interface ServiceTierUse {
  model: string;
  provider: string;
  serviceTier: string;
  events: number;
}

/** An event as a ledger holds it, with who recorded it: what push and pull copy between ledgers. */
export interface StoredEvent extends Omit<PricedEvent, 'priceVersionId' | 'recordedBy'> {
  namespace: string;
  recordedBy: { user: string; machine: string };
  /** The label of the price version its cost was computed with (ids differ between ledgers). */
  priceVersion: string;
}

/** A drop as a ledger holds it, with the machine whose file or origin it was found in. */
export interface StoredDrop extends DroppedRecord {
  machine: string;
}

/**
 * One page of what a ledger recorded or changed after a position (`ChangePage.next`): events
 * inserted or replaced since, oldest change first, and drops recorded since.
 */
export interface ChangePage {
  events: StoredEvent[];
  drops: StoredDrop[];
  /** The position after this page (pass it back for the next one); equal to the one asked: nothing more. */
  next: number;
}

export interface LedgerReader {
  /**
   * What the ledger recorded or changed after position `after` (0: from the start), at most
   * `limit` events per page: push and pull copy ledgers with it, so an event replaced in place
   * (a longer streamed copy) comes again with its new position.
   */
  changes(after: number, limit: number): Promise<ChangePage>;
  /**
   * The position of the latest committed change (0: none), read cheaply: `changes(position, …)`
   * answers nothing more until the ledger changes again. A server polls it to tell open pages.
   */
  changePosition(): Promise<number>;
  /** The position `setMark` last stored under `name` (0: none). */
  mark(name: string): Promise<number>;
  /**
   * The id the ledger was given when it was created. A ledger made again at the same address (a
   * dropped schema, a replaced file, a restored backup) has another, so a copy to or from it starts
   * over rather than trusting how far it went with the old one.
   */
  ledgerId(): Promise<string>;
  /** Usage summed by any of: session, project, model, prompt band, quarter hour (none: one row of totals, or none). */
  usage(filter: UsageFilter, by: readonly UsageDimension[]): Promise<UsageRow[]>;
  /**
   * Conversations count: a session's activity splits where at least `gapMs` (in whole quarter
   * hours) passed without a request.
   */
  conversationCount(filter: UsageFilter, gapMs: number): Promise<number>;
  /** The `limit` most recently started conversations, a row per project and model of each. */
  conversations(filter: UsageFilter, gapMs: number, limit: number): Promise<ConversationRow[]>;
  /** The requests of one session (its agent and id), costliest first, from `since` on. */
  sessionEvents(namespace: string, agent: string, sessionId: string, since?: number): Promise<EventRow[]>;
  /** The requests served at a service tier other than standard (fast mode, flex, …), oldest first. */
  tieredEvents(filter: UsageFilter): Promise<TieredEventRow[]>;
  /** Every model and service tier in use, standard aside (all namespaces). */
  serviceTierUses(): Promise<ServiceTierUse[]>;
  budgets(namespace: string): Promise<Budget[]>;
  spend(filter: SpendFilter): Promise<Spend>;
  /** Level crossings of a namespace's budgets recorded at or after `since`, oldest first. */
  crossings(namespace: string, since: number): Promise<RecordedCrossing[]>;
  /** Spend per federated peer with tasks reported in `[since, until)`, costliest first. */
  peerSpend(namespace: string, since: number, until: number): Promise<PeerSpend[]>;
  /** The newest rate-limit reading of each agent and allowance taken at or after `since`. */
  latestRateLimits(since: number): Promise<RateLimitSnapshot[]>;
  /**
   * Usage summed per session, project and model (rows as `rollup` returns them, `bucketStart`
   * being the session's first quarter hour in the range): the grain of session reports.
   */
  sessionUsage(filter: UsageFilter): Promise<RollupRow[]>;
  /**
   * Usage by local day of `zone`: the grain of daily, weekly and monthly reports. Reads only
   * (`prepareDays` beforehand makes it fast).
   */
  days(filter: DayFilter, zone: LocalDays): Promise<DayRow[]>;
  sessions(filter: UsageFilter): Promise<Map<string, SessionInfo>>;
  /** Every project path, for resolving `--project` names. */
  projects(): Promise<string[]>;
  /** Every user and machine that recorded a session (sorted), for telling `--user`/`--machine` values that match nothing. */
  recorders(): Promise<Recorder[]>;
  /** Every namespace holding usage, with the agents whose usage it holds: the values filters can match. */
  partitions(): Promise<Partition[]>;
  /** Recorded drops, newest first. */
  drops(limit: number): Promise<DroppedRecord[]>;
  /** Whether any event was priced with a version other than `priceVersionId`. */
  hasStale(priceVersionId: number): Promise<boolean>;
}
