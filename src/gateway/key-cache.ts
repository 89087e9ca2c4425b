import type { Budget, LedgerReader } from '../ledger/ledger.js';
import type { GatewayKey, GatewayLedger } from '../ledger/gateway-keys.js';
import { hashSecret, isSecret } from './keys/secret.js';

/** A key that authenticates, with the `key:` budgets it is admitted against. */
export interface ActiveKey {
  key: GatewayKey;
  budgets: Budget[];
}

/**
 * The namespace's gateway keys and their budgets, held in memory and read again from the ledger
 * every `refreshMs`: a secret is checked by its hash without touching the ledger. A key revoked or
 * rotated (or a budget changed) elsewhere takes effect here within one refresh.
 */
export class KeyCache {
  readonly #ledger: GatewayLedger & Pick<LedgerReader, 'budgets'>;
  readonly #namespace: string;
  #byHash = new Map<string, ActiveKey>();
  #byName = new Map<string, ActiveKey>();
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(ledger: GatewayLedger & Pick<LedgerReader, 'budgets'>, namespace: string) {
    this.#ledger = ledger;
    this.#namespace = namespace;
  }

  /** The active key whose secret this is. */
  find(secret: string): ActiveKey | undefined {
    return isSecret(secret) ? this.#byHash.get(hashSecret(secret)) : undefined;
  }

  byName(name: string): ActiveKey | undefined {
    return this.#byName.get(name);
  }

  /** Every active key. */
  all(): IterableIterator<ActiveKey> {
    return this.#byName.values();
  }

  get size(): number {
    return this.#byName.size;
  }

  /** Reads keys and budgets again (one read at a time: a caller joins the one under way). */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#read().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /** Refreshes every `refreshMs`; a failed read keeps the keys known (`onError` hears of it). */
  start(refreshMs: number, onError: (error: unknown) => void): void {
    this.#timer = setInterval(() => void this.refresh().catch(onError), refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #read(): Promise<void> {
    const [keys, budgets] = await Promise.all([this.#ledger.gatewayKeys(this.#namespace), this.#ledger.budgets(this.#namespace)]);
    const byHash = new Map<string, ActiveKey>();
    const byName = new Map<string, ActiveKey>();
    for (const key of keys) {
      if (key.revokedAt !== undefined) continue;
      const active = { key, budgets: budgets.filter((b) => b.scope === `key:${key.name}`) };
      byHash.set(key.secretHash, active);
      byName.set(key.name, active);
    }
    this.#byHash = byHash;
    this.#byName = byName;
  }
}
