import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS } from '../budgets/ladder.js';
import { ZoneClock } from '../core/zone-clock.js';
import type { GatewayConfig } from '../config/gateway-schema.js';
import { hashSecret, newSecret, secretPrefix } from '../gateway/keys/secret.js';
import { openWrites } from '../gateway/open-writes.js';
import { Gateway, type GatewayOptions } from '../gateway/server.js';
import { gatewaySettings } from '../gateway/settings.js';
import type { Ledger } from '../ledger/ledger.js';
import type { LedgerLocation } from '../ledger/location.js';
import { openLedger } from '../ledger/open-ledger.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { gatewayWriterScript } from './gateway-writer-bundle.js';

export const RIG_NAMESPACE = 'cost-tracking';
export const RIG_ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const RECORDER = { user: 'gateway@test', machine: 'gateway-machine' };

export interface RigKey {
  name: string;
  /** A `key:` budget in USD over `period` (default `month`). */
  budgetUsd?: number;
  period?: string;
  rpm?: number;
  tpm?: number;
  project?: string;
}

export interface RigOptions {
  /** The `gateway` config section; `listen` defaults to 127.0.0.1 on a free port. */
  config: GatewayConfig;
  keys?: readonly RigKey[];
  /** Default: a SQLite file in a temporary folder. */
  location?: LedgerLocation;
  env?: Record<string, string>;
  log?: (line: string) => void;
  /** The gateway's spill folder, its drain time and its group commit's tuning. */
  gateway?: Pick<GatewayOptions, 'spillFolder' | 'drainMs' | 'commitTuning'>;
}

/**
 * A real gateway for tests: a real ledger (a SQLite file in a temporary folder unless another
 * location is given), its keys created as `keys create` does (the secrets kept here), the writer
 * thread, listening on 127.0.0.1 on a free port.
 */
export class GatewayRig {
  readonly secrets = new Map<string, string>();
  readonly lines: string[] = [];
  gateway!: Gateway;
  ledger!: Ledger;
  url = '';
  location!: LedgerLocation;
  #dir: string | undefined;

  static async start(options: RigOptions): Promise<GatewayRig> {
    const rig = new GatewayRig();
    await rig.#start(options);
    return rig;
  }

  secret(name: string): string {
    const secret = this.secrets.get(name);
    if (secret === undefined) throw new Error(`no key ${name} in the rig`);
    return secret;
  }

  async #start(options: RigOptions): Promise<void> {
    if (options.location === undefined) this.#dir = mkdtempSync(join(tmpdir(), 'tokenledger-gateway-'));
    this.location = options.location ?? { engine: 'sqlite', path: join(this.#dir as string, 'ledger.db') };
    this.ledger = await openLedger(this.location, { recorder: RECORDER });
    const now = Date.now();
    for (const k of options.keys ?? []) await this.addKey(k, now);
    const settings = gatewaySettings({ listen: '127.0.0.1:0', adminToken: RIG_ADMIN_TOKEN, ...options.config }, {}, options.env ?? {});
    this.gateway = new Gateway({
      settings,
      ledger: this.ledger,
      writes: await openWrites(this.location, this.ledger, RECORDER, { timeZone: 'UTC', startOfWeek: 'monday', thresholds: DEFAULT_THRESHOLDS }, await gatewayWriterScript()),
      namespace: RIG_NAMESPACE,
      pricer: new Pricer(new PriceOverrides({})),
      periods: { clock: new ZoneClock('UTC'), startOfWeek: 'monday' },
      ...options.gateway,
      log: (line) => {
        this.lines.push(line);
        options.log?.(line);
      },
    });
    this.url = (await this.gateway.start()).url;
  }

  /** Creates a key (and its budget) as `keys create` does; the gateway sees it at its next key refresh. */
  async addKey(k: RigKey, now = Date.now()): Promise<string> {
    const secret = newSecret();
    this.secrets.set(k.name, secret);
    await this.ledger.createKey({
      namespace: RIG_NAMESPACE,
      name: k.name,
      secretHash: hashSecret(secret),
      secretPrefix: secretPrefix(secret),
      createdAt: now,
      ...(k.rpm === undefined ? {} : { rpm: k.rpm }),
      ...(k.tpm === undefined ? {} : { tpm: k.tpm }),
      ...(k.project === undefined ? {} : { project: k.project }),
    });
    if (k.budgetUsd !== undefined) {
      await this.ledger.setBudget({ namespace: RIG_NAMESPACE, scope: `key:${k.name}`, period: k.period ?? 'month', amountNanos: Math.round(k.budgetUsd * 1e9), setAt: now });
    }
    return secret;
  }

  /** The events the gateway recorded for a key (committed: the group commit is flushed first). */
  async events(name: string): Promise<Awaited<ReturnType<Ledger['sessionEvents']>>> {
    await this.gateway.whenIdle();
    await this.gateway.flush();
    return this.ledger.sessionEvents(RIG_NAMESPACE, 'gateway', name);
  }

  async close(): Promise<void> {
    await this.gateway?.stop();
    await this.ledger?.close();
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
  }
}
