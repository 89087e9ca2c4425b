import { NANOS_PER_USD } from '../core/money.js';
import type { TokenCounts } from '../core/usage-event.js';
import { HistogramFamily, ValueFamily } from './metrics-registry.js';

/** Why the gateway answered a request itself instead of forwarding it. */
export type RefusalReason = 'auth' | 'budget' | 'rate' | 'body_size' | 'timeout' | 'concurrency' | 'bad_request' | 'not_found' | 'ledger_unavailable';

const SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

const TOKEN_TYPES: ReadonlyArray<readonly [keyof TokenCounts, string]> = [
  ['inputTokens', 'input'],
  ['outputTokens', 'output'],
  ['reasoningTokens', 'reasoning'],
  ['cacheWrite5mTokens', 'cache_write_5m'],
  ['cacheWrite1hTokens', 'cache_write_1h'],
  ['cacheReadTokens', 'cache_read'],
];

/**
 * What the gateway counts, for `GET /metrics`. Labels are bounded: key names are created by an
 * admin, providers and operations are the gateway's own; models are as upstreams name them.
 */
export class GatewayMetrics {
  readonly requests = new ValueFamily('tokenledger_gateway_requests_total', 'Requests answered, by key, provider, model and HTTP status.', 'counter');
  readonly tokens = new ValueFamily('tokenledger_gateway_tokens_total', 'Tokens metered, by key, provider, model and type (reasoning is part of output).', 'counter');
  readonly cost = new ValueFamily('tokenledger_gateway_cost_usd_total', 'Cost in US dollars of the requests metered, as priced by tokenledger.', 'counter');
  readonly duration = new HistogramFamily('tokenledger_gateway_request_duration_seconds', 'Time from a request arriving to its answer ending, by provider.', SECONDS);
  readonly overhead = new HistogramFamily(
    'tokenledger_gateway_overhead_seconds',
    'Time the gateway itself spent on a request before forwarding it (authentication, admission, headers; not the wait for the client to send its body).',
    SECONDS,
  );
  readonly inFlight = new ValueFamily('tokenledger_gateway_in_flight_requests', 'Requests being served now.', 'gauge');
  readonly refusals = new ValueFamily('tokenledger_gateway_refusals_total', 'Requests the gateway refused itself, by reason.', 'counter');
  readonly budgetRemaining = new ValueFamily('tokenledger_gateway_budget_remaining_usd', 'What a key budget has left this period (limit minus spent minus reserved).', 'gauge');
  readonly commits = new ValueFamily('tokenledger_gateway_commits_total', 'Group commits written, and the requests they settled.', 'counter');
  readonly commitFailures = new ValueFamily('tokenledger_gateway_commit_failures_total', 'Group commit attempts that failed (each is retried).', 'counter');
  readonly pending = new ValueFamily('tokenledger_gateway_pending_settlements', 'Metered requests whose usage waits to be committed to the ledger.', 'gauge');
  readonly spilled = new ValueFamily(
    'tokenledger_gateway_settlements_spilled_total',
    'Metered requests written to the spill journal (the ledger could not take them in time); replayed at the next start.',
    'counter',
  );
  readonly lost = new ValueFamily(
    'tokenledger_gateway_settlements_lost_total',
    'Metered requests whose usage could not be committed nor spilled (a gateway without a spill folder, or a spill that failed).',
    'counter',
  );
  readonly replayed = new ValueFamily('tokenledger_gateway_settlements_replayed_total', 'Metered requests committed from the spill journal.', 'counter');
  readonly authFailures = new ValueFamily('tokenledger_gateway_auth_failures_total', 'Requests with a missing or unknown gateway key.', 'counter');

  constructor() {
    this.inFlight.set({}, 0);
    for (const reason of ['auth', 'budget', 'rate', 'body_size', 'timeout', 'concurrency', 'ledger_unavailable'] as const) this.refusals.set({ reason }, 0);
    this.pending.set({}, 0);
    this.spilled.set({}, 0);
    this.replayed.set({}, 0);
    this.lost.set({}, 0);
  }

  refused(reason: RefusalReason): void {
    this.refusals.add({ reason });
  }

  metered(key: string, provider: string, model: string, tokens: TokenCounts, costNanos: number): void {
    for (const [field, type] of TOKEN_TYPES) {
      const n = tokens[field];
      if (n > 0) this.tokens.add({ key, provider, model, type }, n);
    }
    this.cost.add({ key, provider, model }, costNanos / NANOS_PER_USD);
  }

  text(): string {
    return [
      this.requests,
      this.tokens,
      this.cost,
      this.duration,
      this.overhead,
      this.inFlight,
      this.refusals,
      this.budgetRemaining,
      this.commits,
      this.commitFailures,
      this.pending,
      this.spilled,
      this.replayed,
      this.lost,
      this.authFailures,
    ]
      .map((f) => f.text())
      .join('');
  }
}
