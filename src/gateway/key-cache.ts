import type { Budget, LedgerReader } from '../ledger/ledger.js';
import type { GatewayKey, GatewayLedger } from '../ledger/gateway-keys.js';
import { hashSecret, isSecret } from './keys/secret.js';

/** A key that authenticates, with the `key:` budgets it is admitted against. */
/** Secrets whose key is remembered without hashing them again (the oldest forgotten first). */
export const SEEN_SECRETS = 10_000;

export interface ActiveKey {
  key: GatewayKey;
  budgets: Budget[];
}

/**
 * The namespace's gateway keys and their budgets, held in memory and read again from the ledger
 * every `refreshMs`: a secret is checked by its hash without touching the ledger, and a secret that
 * matched is remembered until the next refresh (the hash runs once per secret). A key revoked or
 * rotated (or a budget changed) elsewhere takes effect here within one refresh.
 */
export class KeyCache {
  readonly #ledger: GatewayLedger & Pick<LedgerReader, 'budgets'>;
  readonly #namespace: string;
  #byHash = new Map<string, ActiveKey>();
  #byName = new Map<string, ActiveKey>();
  /** Secrets presented since the last refresh that matched a key: the hash runs once per secret. */
  #bySecret = new Map<string, ActiveKey>();
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  readonly #seenSecrets: number;

  constructor(ledger: GatewayLedger & Pick<LedgerReader, 'budgets'>, namespace: string, seenSecrets = SEEN_SECRETS) {
    this.#ledger = ledger;
    this.#namespace = namespace;
    this.#seenSecrets = seenSecrets;
  }

  /** The active key whose secret this is. */
  find(secret: string): ActiveKey | undefined {
    const seen = this.#bySecret.get(secret);
    if (seen !== undefined || !isSecret(secret)) return seen;
    const found = this.#byHash.get(hashSecret(secret));
    if (found === undefined) return undefined;
    if (this.#bySecret.size >= this.#seenSecrets) this.#bySecret.delete(this.#bySecret.keys().next().value as string);
    this.#bySecret.set(secret, found);
    return found;
  }

  byName(name: string): ActiveKey | undefined {
    return this.#byName.get(name);
  }

  /** Every active key. */
  all(): IterableIterator<ActiveKey> {
    return this.#byName.values();
  }

  /** How many secrets are remembered (found without hashing). */
  get remembered(): number {
    return this.#bySecret.size;
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
    // A secret revoked or rotated meanwhile must stop working now: every secret is hashed again.
    this.#bySecret = new Map();
  }
}
