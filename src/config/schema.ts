import { MAX_PICOS_PER_TOKEN } from '../core/event-bounds.js';
import { WEEKDAYS, type Weekday } from '../core/calendar.js';
import { TokenledgerError } from '../core/errors.js';
import { redactUrls } from '../core/redact-url.js';
import { ZoneClock } from '../core/zone-clock.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../budgets/ladder.js';
import type { PriceOverrideConfig, UsdRates } from '../pricing/overrides.js';
import type { Plan } from '../analytics/plan-value.js';
import { knownPlan, PLAN_PROVIDERS, planNames, type PlanProvider } from '../pricing/plan-catalog.js';
import { NANOS_PER_USD } from '../core/money.js';
import { ledgerSetting } from './ledger-setting.js';
import { MAX_RECORDER_TEXT, validRecorderText } from '../ledger/recorder.js';
import { validateGatewayConfig, type GatewayConfig } from './gateway-schema.js';
import { knownSources, sourceIdOf } from '../sources/index.js';

/** `MAX_PICOS_PER_TOKEN` in the unit prices are written in. */
const MAX_USD_PER_MTOK = MAX_PICOS_PER_TOKEN / 1_000_000;

/** The config file, `config.json`. Every key is optional. */
export interface Config {
  /** IANA time zone for reports; default: the system's. */
  timezone?: string;
  /** First day of the week for `weekly`; default: sunday. */
  startOfWeek?: Weekday;
  /** Price overrides, USD per million tokens, keyed by model name or `*` pattern. */
  prices: Record<string, PriceOverrideConfig>;
  /**
   * Where the ledger is when neither `--db` nor `TOKENLEDGER_DB` says: a SQLite file (relative to
   * this file's folder) or a `postgres://` URL.
   */
  ledger?: string;
  /** The ledger partition this machine's agent logs are recorded into and commands read. */
  namespace?: string;
  /** Who the usage recorded here is filed under (default `$USER@hostname`). */
  user?: string;
  /** Budget ladder: utilization percentages at which each level starts. */
  budgets?: { thresholds?: Partial<Thresholds> };
  /** Where `watch` announces budget level crossings (each once per budget, period and level). */
  alerts?: AlertsConfig;
  /** Agent hooks (`tokenledger hook guard`). */
  hooks?: HooksConfig;
  /** Where `prices update` fetches price data from. */
  priceData?: { url?: string };
  /** Flat subscriptions: usage of their providers is shown as API-equivalent, weighed against the plan. */
  plans?: Plan[];
  /** The metering gateway (`tokenledger gateway`). */
  gateway?: GatewayConfig;
  /** Reading agent logs (`sync`, `watch`, `live`, the hooks, every report's sync). */
  sync?: SyncConfig;
}

export interface SyncConfig {
  /** Agents whose logs are never read (ids, as resolved from ids or `--agent` short names). */
  skip: string[];
}

export interface AlertsConfig {
  /** POSTed a JSON document per crossing. */
  webhook?: { url: string; headers?: Record<string, string>; timeoutMs?: number; retries?: number };
  /** A one-line notice on stderr per crossing; default true. */
  stderr?: boolean;
}

export interface HooksConfig {
  /**
   * When the guard cannot read the ledger or config: false (default) warns and lets the agent go
   * on; true blocks it, as a budget at HARD_STOP would.
   */
  failClosed?: boolean;
}

const RATE_KEYS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;

/** Checks a parsed config file; every problem names its place, e.g. `prices["x"].input`. */
export function validateConfig(value: unknown, file: string): Config {
  const fail = (where: string, message: string): never => {
    // A value quoted back may be a webhook URL with its password: redacted like every URL we show.
    throw new TokenledgerError('BAD_CONFIG', redactUrls(`${file}: ${where} ${message}`), {
      hint: 'see "Configuration" in the README for the file format',
    });
  };
  const object = (v: unknown, where: string): Record<string, unknown> => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return fail(where, `must be an object, got ${describe(v)}`);
    return v as Record<string, unknown>;
  };
  const only = (o: Record<string, unknown>, where: string, allowed: readonly string[]): void => {
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) {
        const near = key === '' ? undefined : allowed.find((a) => a.toLowerCase() === key.toLowerCase() || a.startsWith(key) || key.startsWith(a));
        fail(where === '' ? key : `${where}.${key}`, `is not a known setting${near === undefined ? '' : ` (did you mean "${near}"?)`}; known: ${allowed.join(', ')}`);
      }
    }
  };
  const usd = (v: unknown, where: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return fail(where, `must be a non-negative number of USD per million tokens, got ${describe(v)}`);
    if (v > MAX_USD_PER_MTOK) return fail(where, `must be at most ${MAX_USD_PER_MTOK} USD per million tokens (the dearest price a cost can be kept exactly at), got ${describe(v)}`);
    return v;
  };
  const rates = (o: Record<string, unknown>, where: string): UsdRates => {
    if (o.input === undefined || o.output === undefined) fail(where, 'needs at least "input" and "output" (USD per million tokens)');
    const r: UsdRates = { input: usd(o.input, `${where}.input`), output: usd(o.output, `${where}.output`) };
    for (const key of RATE_KEYS.slice(2)) if (o[key] !== undefined) r[key] = usd(o[key], `${where}.${key}`);
    return r;
  };

  /** `{"fast": 6}` (times the standard rates) or `{"fast": {"input": 30, "output": 150}}`. */
  const serviceTiers = (v: unknown, where: string): Record<string, number | UsdRates> => {
    const out: Record<string, number | UsdRates> = {};
    for (const [tier, spec] of Object.entries(object(v, where))) {
      const tw = `${where}[${JSON.stringify(tier)}]`;
      if (!/^[a-z0-9][a-z0-9._-]{0,31}$/i.test(tier)) fail(tw, 'needs a tier name such as "fast", "flex", "priority" or "batch"');
      if (typeof spec === 'number') {
        if (!Number.isFinite(spec) || spec <= 0 || spec > 1000) fail(tw, `must be a multiplier of the standard rates (e.g. 6), got ${describe(spec)}`);
        out[tier.toLowerCase()] = spec;
      } else {
        const rateObject = object(spec, tw);
        only(rateObject, tw, RATE_KEYS);
        out[tier.toLowerCase()] = rates(rateObject, tw);
      }
    }
    return out;
  };

  const root = object(value, 'the file');
  only(root, '', ['timezone', 'startOfWeek', 'prices', 'ledger', 'namespace', 'user', 'budgets', 'alerts', 'hooks', 'priceData', 'plans', 'gateway', 'sync', '$schema']);
  // Model names are user text: a null prototype keeps even "__proto__" an ordinary key.
  const config: Config = { prices: Object.create(null) as Config['prices'] };
  if (root.timezone !== undefined) {
    if (typeof root.timezone !== 'string' || root.timezone === '') fail('timezone', `must be an IANA time zone name, got ${describe(root.timezone)}`);
    try {
      new ZoneClock(root.timezone as string);
    } catch {
      fail('timezone', `is not a known IANA time zone: ${describe(root.timezone)} (e.g. Europe/Berlin, America/New_York, UTC)`);
    }
    config.timezone = root.timezone as string;
  }
  if (root.ledger !== undefined) {
    if (typeof root.ledger !== 'string' || root.ledger.trim() === '') fail('ledger', `must be a SQLite file path or a postgres:// URL, got ${describe(root.ledger)}`);
    config.ledger = ledgerSetting(root.ledger as string, file, (message) => fail('ledger', message));
  }
  if (root.namespace !== undefined) {
    if (typeof root.namespace !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(root.namespace)) {
      fail('namespace', `must be 1-64 letters, digits, dots, dashes or underscores, got ${describe(root.namespace)}`);
    }
    config.namespace = root.namespace as string;
  }
  if (root.user !== undefined) {
    if (typeof root.user !== 'string' || !validRecorderText(root.user)) {
      fail('user', `must be 1-${MAX_RECORDER_TEXT} characters without control characters, got ${describe(root.user)}`);
    }
    config.user = root.user as string;
  }
  if (root.budgets !== undefined) {
    const budgets = object(root.budgets, 'budgets');
    only(budgets, 'budgets', ['thresholds']);
    if (budgets.thresholds !== undefined) {
      const t = object(budgets.thresholds, 'budgets.thresholds');
      only(t, 'budgets.thresholds', ['info', 'warning', 'critical', 'hardStop']);
      const thresholds: Partial<Thresholds> = {};
      for (const key of ['info', 'warning', 'critical', 'hardStop'] as const) {
        const v = t[key];
        if (v === undefined) continue;
        if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`budgets.thresholds.${key}`, `must be a percentage above 0, got ${describe(v)}`);
        thresholds[key] = v as number;
      }
      const merged = { ...DEFAULT_THRESHOLDS, ...thresholds };
      if (!(merged.info < merged.warning && merged.warning < merged.critical && merged.critical < merged.hardStop)) {
        fail('budgets.thresholds', `must rise from info to hardStop, got ${JSON.stringify(merged)}`);
      }
      config.budgets = { thresholds };
    }
  }
  if (root.alerts !== undefined) {
    const alerts = object(root.alerts, 'alerts');
    only(alerts, 'alerts', ['webhook', 'stderr']);
    config.alerts = {};
    if (alerts.stderr !== undefined) {
      if (typeof alerts.stderr !== 'boolean') fail('alerts.stderr', `must be true or false, got ${describe(alerts.stderr)}`);
      config.alerts.stderr = alerts.stderr as boolean;
    }
    if (alerts.webhook !== undefined) {
      const hook = object(alerts.webhook, 'alerts.webhook');
      only(hook, 'alerts.webhook', ['url', 'headers', 'timeoutMs', 'retries']);
      if (typeof hook.url !== 'string' || !/^https?:\/\/./i.test(hook.url)) fail('alerts.webhook.url', `must be an http(s) URL, got ${describe(hook.url)}`);
      const webhook: NonNullable<AlertsConfig['webhook']> = { url: hook.url as string };
      if (hook.headers !== undefined) {
        const headers = object(hook.headers, 'alerts.webhook.headers');
        for (const [name, value] of Object.entries(headers)) {
          if (typeof value !== 'string') fail(`alerts.webhook.headers[${JSON.stringify(name)}]`, `must be a string, got ${describe(value)}`);
        }
        webhook.headers = { ...(headers as Record<string, string>) };
      }
      for (const key of ['timeoutMs', 'retries'] as const) {
        const v = hook[key];
        if (v === undefined) continue;
        const least = key === 'timeoutMs' ? 1 : 0;
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < least) fail(`alerts.webhook.${key}`, `must be a whole number of at least ${least}, got ${describe(v)}`);
        webhook[key] = v as number;
      }
      config.alerts.webhook = webhook;
    }
  }
  if (root.hooks !== undefined) {
    const hooks = object(root.hooks, 'hooks');
    only(hooks, 'hooks', ['failClosed']);
    config.hooks = {};
    if (hooks.failClosed !== undefined) {
      if (typeof hooks.failClosed !== 'boolean') fail('hooks.failClosed', `must be true or false, got ${describe(hooks.failClosed)}`);
      config.hooks.failClosed = hooks.failClosed as boolean;
    }
  }
  if (root.priceData !== undefined) {
    const data = object(root.priceData, 'priceData');
    only(data, 'priceData', ['url']);
    config.priceData = {};
    if (data.url !== undefined) {
      if (typeof data.url !== 'string' || !/^https?:\/\/./i.test(data.url)) fail('priceData.url', `must be an http(s) URL, got ${describe(data.url)}`);
      config.priceData.url = data.url as string;
    }
  }
  if (root.plans !== undefined) {
    if (!Array.isArray(root.plans)) fail('plans', `must be a list, got ${describe(root.plans)}`);
    config.plans = (root.plans as unknown[]).map((entry, i): Plan => {
      const where = `plans[${i}]`;
      const o = object(entry, where);
      only(o, where, ['provider', 'plan', 'monthlyUsd', 'startDay']);
      if (!(PLAN_PROVIDERS as readonly unknown[]).includes(o.provider)) fail(`${where}.provider`, `must be one of ${PLAN_PROVIDERS.join(', ')}, got ${describe(o.provider)}`);
      const provider = o.provider as PlanProvider;
      if (o.plan !== undefined && (typeof o.plan !== 'string' || o.plan.trim() === '' || o.plan.length > 60)) fail(`${where}.plan`, `must be a plan name, got ${describe(o.plan)}`);
      const known = typeof o.plan === 'string' ? knownPlan(provider, o.plan) : undefined;
      let monthlyUsd = known?.monthlyUsd;
      if (o.monthlyUsd !== undefined) {
        if (typeof o.monthlyUsd !== 'number' || !Number.isFinite(o.monthlyUsd) || o.monthlyUsd <= 0 || o.monthlyUsd > 100_000)
          fail(`${where}.monthlyUsd`, `must be a price in USD above 0 and at most 100000, got ${describe(o.monthlyUsd)}`);
        monthlyUsd = o.monthlyUsd as number;
      }
      if (monthlyUsd === undefined) {
        fail(
          where,
          `${o.plan === undefined ? 'needs "plan" or "monthlyUsd"' : `names a plan tokenledger does not know (${describe(o.plan)}): add "monthlyUsd"`}; known ${provider} plans: ${planNames(provider).join(', ')}`,
        );
      }
      const startDay = o.startDay ?? 1;
      if (typeof startDay !== 'number' || !Number.isInteger(startDay) || startDay < 1 || startDay > 28)
        fail(`${where}.startDay`, `must be the day of the month the plan renews, 1-28, got ${describe(startDay)}`);
      const name = known?.name ?? (typeof o.plan === 'string' ? o.plan.trim() : `$${monthlyUsd as number}/month`);
      return { provider, name, monthlyNanos: Math.round((monthlyUsd as number) * NANOS_PER_USD), startDay: startDay as number };
    });
  }
  if (root.gateway !== undefined) config.gateway = validateGatewayConfig(root.gateway, fail, object, only, describe);
  if (root.sync !== undefined) {
    const sync = object(root.sync, 'sync');
    only(sync, 'sync', ['skip']);
    const skip = sync.skip ?? [];
    if (!Array.isArray(skip)) fail('sync.skip', `must be a list of agent names, got ${describe(skip)}`);
    config.sync = {
      skip: [
        ...new Set(
          (skip as unknown[]).map((name, i) => {
            const id = typeof name === 'string' ? sourceIdOf(name) : undefined;
            if (id === undefined) fail(`sync.skip[${i}]`, `names no agent tokenledger reads logs of (${describe(name)}); known: ${knownSources()}`);
            return id as string;
          }),
        ),
      ],
    };
  }
  if (root.startOfWeek !== undefined) {
    const day = typeof root.startOfWeek === 'string' ? root.startOfWeek.toLowerCase() : '';
    if (!(WEEKDAYS as readonly string[]).includes(day)) fail('startOfWeek', `must be one of ${WEEKDAYS.join(', ')}, got ${describe(root.startOfWeek)}`);
    config.startOfWeek = day as Weekday;
  }
  if (root.prices !== undefined) {
    for (const [model, spec] of Object.entries(object(root.prices, 'prices'))) {
      const where = `prices[${JSON.stringify(model)}]`;
      if (model.trim() === '') fail(where, 'needs a model name or pattern as its key');
      const o = object(spec, where);
      only(o, where, [...RATE_KEYS, 'tiers', 'serviceTiers']);
      // Service tiers alone leave the model's own prices as they are.
      const tiersOnly = o.serviceTiers !== undefined && RATE_KEYS.every((k) => o[k] === undefined) && o.tiers === undefined;
      const override: PriceOverrideConfig = tiersOnly ? {} : rates(o, where);
      if (o.serviceTiers !== undefined) override.serviceTiers = serviceTiers(o.serviceTiers, `${where}.serviceTiers`);
      if (o.tiers !== undefined) {
        if (!Array.isArray(o.tiers)) fail(`${where}.tiers`, `must be a list, got ${describe(o.tiers)}`);
        override.tiers = (o.tiers as unknown[]).map((t, i) => {
          const tw = `${where}.tiers[${i}]`;
          const tier = object(t, tw);
          only(tier, tw, [...RATE_KEYS, 'aboveTokens']);
          const above = tier.aboveTokens;
          if (typeof above !== 'number' || !Number.isSafeInteger(above) || above < 0) fail(`${tw}.aboveTokens`, `must be a whole number of prompt tokens, got ${describe(above)}`);
          return { ...rates(tier, tw), aboveTokens: above as number };
        });
      }
      config.prices[model] = override;
    }
  }
  return config;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}
