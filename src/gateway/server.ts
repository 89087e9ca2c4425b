import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { TokenledgerError } from '../core/errors.js';
import type { Pricer } from '../pricing/pricer.js';
import { admin } from './admin-api.js';
import type { PeriodClock } from './admission.js';
import { AuthThrottle } from './auth-throttle.js';
import { updateBudgetGauges } from './budget-gauges.js';
import { errorBody } from './error-shapes.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { KeyCache } from './key-cache.js';
import { KeyRates } from './key-rates.js';
import type { GatewayLedgerHandle, GatewayWrites } from './ledger-writes.js';
import { hostPort, isLoopback, type ListenAddress } from '../core/listen-address.js';
import { proxy } from './proxy.js';
import type { ProxyContext } from './proxy-context.js';
import { sendError } from './respond.js';
import { isRoute, Router } from './router.js';
import type { GatewaySettings } from './settings.js';
import { SpillJournal } from './spill-journal.js';
import { UpstreamAgents } from './upstream-request.js';

export interface GatewayOptions {
  settings: GatewaySettings;
  /** Keys, budgets and meters are read here; the caller opens and closes it. */
  ledger: GatewayLedgerHandle;
  /** Where admissions and the group commit write; the gateway closes it when it stops. */
  writes: GatewayWrites;
  namespace: string;
  pricer: Pricer;
  periods: PeriodClock;
  now?: () => number;
  /** Lines for the operator (never keys, credentials or bodies). */
  log?: (line: string) => void;
  /** On `stop()`, how long requests in flight may take to finish (default 30 s). */
  drainMs?: number;
  /** How often expired reservations (of a crashed gateway) are dropped (default 60 s). */
  expireEveryMs?: number;
  /**
   * This ledger's spill folder (`spillFolderFor`): usage the ledger could not take in time is
   * written there, and committed first at the next start. Absent: such usage is reported lost.
   */
  spillFolder?: string;
  /** Tuning of the group commit's retries and memory bounds (tests). */
  commitTuning?: Pick<GroupCommitOptions, 'retryMs' | 'maxRetryMs' | 'maxPending' | 'maxPendingBytes' | 'maxPerCommit'>;
}

/** How a stop went: requests whose usage had to be spilled (committed at the next start). */
export interface StopReport {
  spilled: number;
  spillFolder: string | undefined;
}

/**
 * The metering gateway: an HTTP(S) server in front of the configured upstreams. `start()` listens
 * (or `handler()` serves through another server's listener); `stop()` stops accepting, lets
 * requests in flight finish (bounded), flushes the group commit and closes the writer.
 */
export class Gateway {
  readonly metrics = new GatewayMetrics();
  readonly #o: GatewayOptions;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  readonly #router: Router;
  readonly #keys: KeyCache;
  readonly #commits: GroupCommit;
  readonly #spill: SpillJournal | undefined;
  readonly #origin: string;
  readonly #agents = new UpstreamAgents();
  readonly #upstreamNames: ReadonlySet<string>;
  #server: Server | undefined;
  #opening: Promise<RequestListener> | undefined;
  #ctx: ProxyContext | undefined;
  #expiry: NodeJS.Timeout | undefined;
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];
  #stopping: Promise<StopReport> | undefined;

  constructor(options: GatewayOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? (() => {});
    this.#router = new Router(options.settings.upstreams);
    this.#upstreamNames = new Set(options.settings.upstreams.map((u) => u.name));
    this.#keys = new KeyCache(options.ledger, options.namespace);
    this.#spill = options.spillFolder === undefined ? undefined : new SpillJournal(options.spillFolder);
    this.#origin = `gateway:${hostPort(options.settings.listen)}`;
    this.#commits = new GroupCommit({
      ...options.commitTuning,
      writes: options.writes,
      origin: this.#origin,
      windowMs: options.settings.commitWindowMs,
      ...(this.#spill === undefined ? {} : { spill: this.#spill }),
      onCommitted: (settled) => {
        this.metrics.commits.add({}, 1);
        this.metrics.commits.add({ unit: 'requests' }, settled);
        this.#gaugePending();
      },
      onFailure: (error, retryInMs) => {
        this.metrics.commitFailures.add({});
        this.#gaugePending();
        const reason = error instanceof Error ? error.message : String(error);
        this.#log(
          retryInMs === undefined
            ? `tokenledger gateway: could not release reservations (${reason}); they expire by themselves`
            : `tokenledger gateway: could not commit metered usage (${reason}); ${this.#commits.pendingSettlements} request(s) waiting, trying again in ${retryInMs} ms`,
        );
      },
      onSpilled: (count, path, error) => {
        this.#gaugePending();
        if (path !== undefined) {
          this.metrics.spilled.add({}, count);
          this.#log(
            `tokenledger gateway: wrote the usage of ${count} request(s) the ledger could not take yet to the spill journal ${path}; it is committed when the ledger is back or at the next start`,
          );
        } else {
          this.metrics.lost.add({}, count);
          this.#log(`tokenledger gateway: the usage of ${count} request(s) could not be committed nor spilled (${error instanceof Error ? error.message : String(error)}); it is not recorded`);
        }
      },
      onReplayed: (settled) => {
        this.metrics.replayed.add({}, settled);
        this.#log(`tokenledger gateway: committed the usage of ${settled} spilled request(s)`);
      },
    });
  }

  /**
   * Gets ready to serve without listening (the price table, the keys, the expiry of reservations)
   * and returns the request handler: `start()` listens with it, or a server that serves other
   * paths too hands the gateway's paths (`claims`) to it. `stop()` ends it either way.
   */
  async handler(): Promise<RequestListener> {
    this.#opening ??= this.#open();
    return this.#opening;
  }

  async #open(): Promise<RequestListener> {
    const { settings, ledger, pricer } = this.#o;
    // Usage spilled by an earlier run goes first (a journal is deleted only once committed).
    const replayed = (await this.#spill?.replay(this.#o.writes, this.#origin)) ?? 0;
    if (replayed > 0) {
      this.metrics.replayed.add({}, replayed);
      this.#log(`tokenledger gateway: committed the usage of ${replayed} request(s) spilled by an earlier run`);
    }
    const [table, priceVersionId] = await Promise.all([pricer.table(), ledger.priceVersionId(pricer.versionLabel), this.#keys.refresh()]);
    this.#keys.start(settings.limits.keyRefreshMs, (error) =>
      this.#log(`tokenledger gateway: cannot read keys from the ledger (${error instanceof Error ? error.message : String(error)}); using the ones known`),
    );
    this.#ctx = {
      settings,
      namespace: this.#o.namespace,
      keys: this.#keys,
      rates: new KeyRates(),
      authThrottle: new AuthThrottle(),
      writes: this.#o.writes,
      commits: this.#commits,
      table,
      priceVersionId,
      agents: this.#agents,
      metrics: this.metrics,
      periods: this.#o.periods,
      now: this.#now,
      log: this.#log,
    };
    const expireEveryMs = this.#o.expireEveryMs ?? 60_000;
    this.#expiry = setInterval(() => {
      // Tried again at the next interval: an expired reservation only holds budget room meanwhile.
      this.#o.writes
        .expireReservations(this.#now())
        .catch((error: unknown) => this.#log(`tokenledger gateway: cannot drop expired reservations yet (${error instanceof Error ? error.message : String(error)})`));
    }, expireEveryMs);
    this.#expiry.unref();
    return (req, res) => void this.#handle(req, res);
  }

  /**
   * Whether a path is the gateway's: `/v1/…`, `/v1beta/…`, `/<upstream>/…` of a configured
   * upstream, `/tokenledger/…` and `/metrics`.
   */
  claims(path: string): boolean {
    if (path === '/metrics' || path.startsWith('/tokenledger/') || path.startsWith('/v1/') || path.startsWith('/v1beta/')) return true;
    const slash = path.indexOf('/', 1);
    return slash !== -1 && this.#upstreamNames.has(path.slice(1, slash));
  }

  /** Listens; resolves with the address (a port of 0 is the one chosen). */
  async start(): Promise<{ address: ListenAddress; url: string }> {
    const { settings } = this.#o;
    const handler = await this.handler();
    const server = settings.tls === undefined ? createHttpServer(handler) : createHttpsServer({ cert: settings.tls.cert, key: settings.tls.key }, handler);
    server.headersTimeout = settings.limits.headersTimeoutMs;
    server.requestTimeout = 0;
    server.timeout = settings.limits.idleTimeoutMs;
    server.keepAliveTimeout = 5_000;
    server.on('timeout', (socket) => {
      this.metrics.refused('timeout');
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException): void => {
        const why = error.code === 'EADDRINUSE' ? 'the address is in use' : error.code === 'EACCES' ? 'permission denied' : error.message;
        reject(new TokenledgerError('BAD_ARGUMENT', `cannot listen on ${hostPort(settings.listen)}: ${why}`, { hint: 'choose another address with --listen' }));
      };
      server.once('error', failed);
      server.listen(settings.listen.port, settings.listen.host, () => {
        server.off('error', failed);
        resolve();
      });
    });
    this.#server = server;
    const info = server.address() as AddressInfo;
    const address = { host: settings.listen.host, port: info.port };
    return { address, url: `${settings.tls === undefined ? 'http' : 'https'}://${hostPort(address)}` };
  }

  /** Resolves once no request is in flight (now, or when the last one ends). */
  whenIdle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Commits the usage settled so far (the group commit does it by itself every window). */
  flush(): Promise<void> {
    return this.#commits.flush();
  }

  /** Requests whose usage waits to be committed. */
  get pendingSettlements(): number {
    return this.#commits.pendingSettlements;
  }

  #gaugePending(): void {
    this.metrics.pending.set({}, this.#commits.pendingSettlements);
  }

  /**
   * Stops accepting, drains requests in flight, commits what is pending, closes the writer. Both
   * waits share the drain time: usage the ledger has not taken by its end is written to the spill
   * journal (`StopReport.spilled`).
   */
  stop(): Promise<StopReport> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<StopReport> {
    const deadline = Date.now() + (this.#o.drainMs ?? 30_000);
    const server = this.#server;
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await this.#drain();
      server.closeAllConnections();
      await closed;
    } else {
      // Served by another server (which stops accepting first): the requests in flight still finish.
      await this.#drain();
    }
    clearInterval(this.#expiry);
    this.#keys.stop();
    const spilled = await this.#commits.drain(deadline);
    this.#gaugePending();
    this.#agents.destroy();
    await this.#o.writes.close();
    return { spilled, spillFolder: this.#spill?.folder };
  }

  /** Waits for the requests in flight, at most `drainMs`. */
  async #drain(): Promise<void> {
    if (this.#inFlight === 0) return;
    const bound = new Promise<void>((resolve) => setTimeout(resolve, this.#o.drainMs ?? 30_000).unref());
    await Promise.race([this.whenIdle(), bound]);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedNs = process.hrtime.bigint();
    const ctx = this.#ctx as ProxyContext;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    try {
      if (this.#stopping !== undefined) {
        res.shouldKeepAlive = false;
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' }).end(errorBody('openai', 503, 'overloaded_error', 'the gateway is shutting down'));
        return;
      }
      if (path === '/metrics' || path.startsWith('/tokenledger/')) {
        await admin(
          {
            ledger: this.#o.ledger,
            namespace: this.#o.namespace,
            keys: this.#keys,
            metrics: this.metrics,
            adminToken: this.#o.settings.adminToken,
            openMetrics: isLoopback(this.#o.settings.listen.host),
            budgetsRemaining: () => updateBudgetGauges(this.#o.ledger, this.#o.namespace, this.#keys, this.metrics, this.#o.periods, this.#now()),
            now: this.#now,
          },
          req,
          res,
          path,
        );
        return;
      }
      const route = this.#router.resolve(req.method ?? 'GET', url, req.headers);
      if (!isRoute(route)) {
        this.metrics.refused('not_found');
        sendError(res, route.kind, 404, 'not_found_error', `no route ${req.method} ${path} to a configured upstream`);
        this.metrics.requests.add({ key: '', provider: '', model: '', status: '404' });
        return;
      }
      if (this.#inFlight >= this.#o.settings.limits.maxConcurrentRequests) {
        this.metrics.refused('concurrency');
        sendError(res, route.upstream.provider.kind, 503, 'overloaded_error', 'the gateway is serving as many requests as it may; try again shortly', { 'retry-after': '1' });
        return;
      }
      this.#inFlight++;
      this.metrics.inFlight.set({}, this.#inFlight);
      try {
        const outcome = await proxy(ctx, req, res, route, startedNs);
        this.metrics.requests.add({ key: outcome.key, provider: route.upstream.name, model: outcome.model, status: String(outcome.status) });
        this.metrics.duration.observe({ provider: route.upstream.name }, Number(process.hrtime.bigint() - startedNs) / 1e9);
      } finally {
        this.#inFlight--;
        this.metrics.inFlight.set({}, this.#inFlight);
        if (this.#inFlight === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
      }
    } catch (error) {
      // Our own fault: said without the request's headers or body.
      this.#log(`tokenledger gateway: internal error on ${req.method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendError(res, 'openai', 500, 'api_error', 'internal gateway error');
      else res.destroy();
    }
  }
}
