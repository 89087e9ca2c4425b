import { evaluate } from '../budgets/evaluate.js';
import type { GuardOptions } from '../budgets/guard.js';
import { highestPerCommit } from '../budgets/highest-crossing.js';
import { severity, type Level } from '../budgets/ladder.js';
import { parsePeriod, periodWindow } from '../budgets/period.js';
import { describeError } from '../core/errors.js';
import { redactUrls } from '../core/redact-url.js';
import type { Ledger, RecordedCrossing } from '../ledger/ledger.js';
import { postWebhook } from '../sinks/webhook/webhook.js';
import { crossingAlert } from './crossing-alert.js';

export interface AlertTarget {
  url: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  retries?: number;
}

export interface AlertOutboxOptions {
  ledger: Pick<Ledger, 'budgets' | 'crossings' | 'claimCrossing' | 'releaseCrossing'>;
  /** Namespaces whose budgets are announced. */
  namespaces: readonly string[];
  guard: GuardOptions;
  /** A line per crossing on stderr (`say`). */
  stderr: boolean;
  webhook?: AlertTarget;
  /** Writes one line (no newline) where the user sees it. */
  say(line: string): void;
  /** The ledger is looked at this often for crossings other processes recorded. Default 15 s. */
  checkEveryMs?: number;
  /** Wait after a webhook that failed all its attempts, doubled each time up to 15 min. Default 30 s. */
  retryMs?: number;
}

const MAX_RETRY_MS = 15 * 60_000;

/**
 * Announces budget level crossings recorded in the ledger, each once whichever process recorded it:
 * a crossing is claimed in the ledger (one claimant wins) before its alert goes out, and given back
 * when the webhook could not take it, so that it is sent later. Crossings of a period that is over
 * are not announced, and of several levels one commit crossed, only the highest.
 */
export class AlertOutbox {
  readonly #o: AlertOutboxOptions;
  readonly #timer: NodeJS.Timeout;
  /** Crossings already shown on stderr by this process (the webhook may still be owed). */
  readonly #shown = new Set<string>();
  /** Webhook failures per crossing, and when it may be tried again. */
  readonly #failed = new Map<string, { count: number; until: number }>();
  #retry: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: AlertOutboxOptions) {
    this.#o = options;
    this.#timer = setInterval(() => void this.check(), options.checkEveryMs ?? 15_000);
  }

  /** Whether any channel is configured: with none, crossings are left for someone else to claim. */
  get active(): boolean {
    return this.#o.stderr || this.#o.webhook !== undefined;
  }

  /** Looks for crossings to announce (one look at a time; a call during one makes another follow). */
  check(): Promise<void> {
    if (this.#stopped || !this.active) return Promise.resolve();
    if (this.#running !== undefined) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          await this.#sweep();
        } catch (error) {
          // The ledger busy or gone for a moment: the next look tries again.
          this.#o.say(`tokenledger: could not look for budget alerts: ${describeError(error)}`);
        }
      } while (this.#again && !this.#stopped);
      this.#retryLater();
    })().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Stops the timers and waits for an alert being delivered. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    await this.#running;
  }

  async #sweep(): Promise<void> {
    const { ledger, guard } = this.#o;
    // Crossings still to announce; a failed one that is not (sent by another process, period over) is forgotten.
    const owed = new Set<string>();
    for (const namespace of this.#o.namespaces) {
      const now = guard.now();
      const budgets = await ledger.budgets(namespace);
      if (budgets.length === 0) continue;
      // A crossing of a budget's current period was recorded within it (`all`: at any time).
      const since = Math.min(...budgets.map((b) => periodWindow(parsePeriod(b.period), now, guard.clock, guard.startOfWeek).since ?? 0));
      // Levels crossed in one commit share their time: the lower level is announced first.
      const recorded = (await ledger.crossings(namespace, since)).sort((a, b) => a.at - b.at || severity(a.level as Level) - severity(b.level as Level));
      // Of the levels one commit crossed, only the highest is announced; the lower ones are claimed silently.
      const highest = new Set(highestPerCommit(recorded, commitOf, (c) => c.level as Level));
      for (const crossing of recorded) {
        if (this.#stopped) return;
        if (crossing.notifiedAt !== undefined) continue;
        if (!highest.has(crossing)) {
          await ledger.claimCrossing(crossing, now);
          continue;
        }
        const window = periodWindow(parsePeriod(crossing.budget.period), now, guard.clock, guard.startOfWeek);
        if (window.key !== crossing.periodKey) continue;
        const key = keyOf(crossing);
        owed.add(key);
        if ((this.#failed.get(key)?.until ?? 0) > now) continue;
        if (!(await ledger.claimCrossing(crossing, now))) continue;
        const status = evaluate(crossing.budget, window, { costNanos: crossing.spentNanos, sessions: 0 }, guard.thresholds);
        const alert = crossingAlert(crossing, status, guard.thresholds, now);
        if (this.#o.stderr && !this.#shown.has(key)) {
          this.#shown.add(key);
          this.#o.say(alert.text);
        }
        if (this.#o.webhook !== undefined) await this.#post(crossing, key, alert);
      }
    }
    if (this.#stopped) return;
    for (const key of this.#failed.keys()) if (!owed.has(key)) this.#failed.delete(key);
  }

  async #post(crossing: RecordedCrossing, key: string, alert: unknown): Promise<void> {
    const hook = this.#o.webhook!;
    let failure: string | undefined;
    try {
      const result = await postWebhook(hook.url, alert, {
        ...(hook.headers === undefined ? {} : { headers: hook.headers }),
        ...(hook.timeoutMs === undefined ? {} : { timeoutMs: hook.timeoutMs }),
        ...(hook.retries === undefined ? {} : { retries: hook.retries }),
      });
      if (result.ok) {
        this.#failed.delete(key);
        return;
      }
      failure = `${result.error ?? `HTTP ${result.status}`} (${result.attempts} attempt${result.attempts === 1 ? '' : 's'})`;
    } catch (error) {
      failure = redactUrls(describeError(error));
    }
    const count = (this.#failed.get(key)?.count ?? 0) + 1;
    const waitMs = Math.min(MAX_RETRY_MS, (this.#o.retryMs ?? 30_000) * 2 ** (count - 1));
    this.#failed.set(key, { count, until: this.#o.guard.now() + waitMs });
    this.#o.say(`tokenledger: budget alert webhook not delivered: ${failure}; trying again in ${Math.round(waitMs / 1000)} s`);
    // Given back, so that this process (or another) sends it later.
    await this.#o.ledger.releaseCrossing(crossing);
  }

  /** Looks again when the first alert given back may be retried (timers may fire a little early: a margin). */
  #retryLater(): void {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
    if (this.#stopped || this.#failed.size === 0) return;
    const next = Math.min(...[...this.#failed.values()].map((f) => f.until));
    this.#retry = setTimeout(() => void this.check(), Math.max(0, next - this.#o.guard.now()) + 20);
  }
}

/** The commit a recorded crossing came from: its budget, period, time and the spend that reached it. */
function commitOf(c: RecordedCrossing): string {
  return `${c.budgetId}\0${c.periodKey}\0${c.at}\0${c.spentNanos}`;
}

function keyOf(c: RecordedCrossing): string {
  return `${c.budgetId}\0${c.periodKey}\0${c.level}`;
}
