import { anomalies, DEFAULT_ANOMALY_THRESHOLD, type AnomalyResult } from '../analytics/anomaly.js';
import { EXIT } from '../core/errors.js';
import { formatUsd, nanosToUsd } from '../core/money.js';
import type { ZoneClock } from '../core/zone-clock.js';
import { sessionKey } from '../ledger/ledger.js';
import { parseInstant } from '../app/instant.js';
import { parseCount, parseNumber } from '../app/numbers.js';
import { checkReport, type Check } from './check.js';
import { machineOption, userOption } from './options.js';

export interface AnomalyOptions {
  sinceText: string;
  since: number;
  threshold: number;
  alertOnOutliers?: number;
}

export interface SessionCost {
  agent: string;
  sessionId: string;
  costNanos: number;
  events: number;
  lastActivity: number | undefined;
}

export interface AnomalyCheckResult {
  options: AnomalyOptions;
  since: number;
  sessions: Map<string, SessionCost>;
  result: AnomalyResult;
}

export function anomalyOptions(flags: Record<string, unknown>, now: number, clock: ZoneClock, alertFlag: 'alertOnOutliers' | 'alertOutliers' = 'alertOnOutliers'): AnomalyOptions {
  const alert = flags[alertFlag];
  const sinceText = (flags.since as string | undefined) ?? '30d';
  return {
    sinceText,
    since: parseInstant(sinceText, '--since', now, clock),
    threshold: flags.threshold === undefined ? DEFAULT_ANOMALY_THRESHOLD : parseNumber(flags.threshold, '--threshold', { above: 0, max: 1_000_000 }),
    ...(alert === undefined ? {} : { alertOnOutliers: parseCount(alert, alertFlag === 'alertOutliers' ? '--alert-outliers' : '--alert-on-outliers', 1) }),
  };
}

const outlierCount = (r: AnomalyCheckResult): number => (r.result.status === 'ok' ? r.result.outliers.length : 0);

export const anomalyCheck: Check<AnomalyOptions, AnomalyCheckResult> = {
  name: 'anomaly',
  flags: (command) =>
    command
      .addOption(userOption())
      .addOption(machineOption())
      .option('-s, --since <when>', 'sessions active since: a duration back (30d), a date or an ISO time', '30d')
      .option('--threshold <z>', 'flag sessions whose |modified z-score| is above this', String(DEFAULT_ANOMALY_THRESHOLD))
      .option('--alert-on-outliers <n>', 'exit 1 when at least this many sessions are flagged'),
  options: (flags, now, clock) => anomalyOptions(flags, now, clock),
  async compute(a, options) {
    const since = options.since;
    const filter = { namespace: a.namespace, since, ...a.who };
    const [rows, infos] = await Promise.all([a.ctx.ledger.usage(filter, ['session']), a.ctx.ledger.sessions(filter)]);
    const sessions = new Map<string, SessionCost>();
    for (const row of rows) {
      const key = sessionKey(row.agent as string, row.sessionId as string);
      sessions.set(key, { agent: row.agent as string, sessionId: row.sessionId as string, costNanos: row.costNanos, events: row.events, lastActivity: infos.get(key)?.lastActivity });
    }
    const result = anomalies(
      [...sessions].map(([key, s]) => ({ key, costNanos: s.costNanos })),
      options.threshold,
    );
    return { options, since, sessions, result };
  },
  exit: (r) => (r.options.alertOnOutliers !== undefined && outlierCount(r) >= r.options.alertOnOutliers ? EXIT.alert : EXIT.ok),
  headline(r) {
    if (r.result.status === 'insufficient') return `not enough to judge: ${r.result.reason} (${r.sessions.size} session${r.sessions.size === 1 ? '' : 's'} since ${r.options.sinceText})`;
    return `${outlierCount(r)} outlier session${outlierCount(r) === 1 ? '' : 's'} of ${r.sessions.size} (|z| > ${r.options.threshold}; median ${formatUsd(Math.round(r.result.median))}, MAD ${formatUsd(Math.round(r.result.mad))})`;
  },
  json(r) {
    const res = r.result;
    return {
      since: new Date(r.since).toISOString(),
      sessions: r.sessions.size,
      threshold: r.options.threshold,
      status: res.status,
      ...(res.status === 'insufficient'
        ? { reason: res.reason, outliers: [] }
        : {
            median_usd: nanosToUsd(res.median),
            mad_usd: nanosToUsd(res.mad),
            outliers: res.outliers.map((o) => {
              const s = r.sessions.get(o.key) as SessionCost;
              return {
                sessionId: s.sessionId,
                agent: s.agent,
                cost_usd: nanosToUsd(s.costNanos),
                messages: s.events,
                z: o.z,
                lastActivity: s.lastActivity === undefined ? null : new Date(s.lastActivity).toISOString(),
              };
            }),
          }),
      alert_on_outliers: r.options.alertOnOutliers ?? null,
      alert: anomalyCheck.exit(r) === EXIT.alert,
    };
  },
};

/** `anomaly`: sessions whose cost is out of line. */
export const ANOMALY_REPORT = checkReport(anomalyCheck);
