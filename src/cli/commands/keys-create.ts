import { badArgument, EXIT } from '../../core/errors.js';
import { keyNamed } from '../../reports/keys.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import { checkKeyName } from '../../ledger/key-name.js';
import { hashSecret, newSecret, secretPrefix } from '../../gateway/keys/secret.js';
import type { Budget } from '../../ledger/ledger.js';
import type { Io } from '../io.js';
import { ledgerOptions } from '../../reports/options.js';
import { requirePersistentLedger } from '../persistent-ledger.js';
import { withWorkspace } from '../workspace.js';
import type { CommandSpec } from './command.js';
import { keysNamespace, withSharedNamespaceHelp } from './keys-namespace.js';

/** `keys create --period` as budgets store it. */
const PERIODS: Record<string, string> = { day: 'today', week: 'week', month: 'month', all: 'all' };

/** A whole number of at least 1 (`--rpm`, `--tpm`). */
function positiveWhole(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw badArgument(`--${flag} expects a whole number of at least 1, got "${String(value)}"`);
  return n;
}

/** `--budget` in US dollars (`10`, `12.5`, `$20`), as nano-USD. */
function budgetNanos(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim().replace(/^\$/, '');
  if (!/^\d+(\.\d{1,9})?$/.test(text) || Number(text) <= 0) throw badArgument(`--budget expects an amount in US dollars such as 50 or 12.5, got "${String(value)}"`);
  const nanos = Math.round(Number(text) * 1e9);
  if (!Number.isSafeInteger(nanos)) throw badArgument(`--budget is too large: "${String(value)}"`);
  return nanos;
}

interface CreatePlan {
  namespace: string;
  name: string;
  rpm: number | undefined;
  tpm: number | undefined;
  project: string | undefined;
  budget: { amountNanos: number; period: string } | undefined;
}

/** Every flag checked before the ledger is opened: a bad one changes nothing. */
function createPlan(name: string, flags: Record<string, unknown>, io: Io, configured: string | undefined): CreatePlan {
  const amountNanos = budgetNanos(flags.budget);
  const periodFlag = flags.period as string | undefined;
  if (periodFlag !== undefined && amountNanos === undefined) throw badArgument('--period sets the period of --budget; give --budget USD with it');
  const period = PERIODS[periodFlag ?? 'month'];
  if (period === undefined) throw badArgument(`--period expects day, week, month or all, got "${periodFlag}"`);
  const project = flags.project as string | undefined;
  if (project !== undefined && project.trim() === '') throw badArgument('--project expects a project name');
  return {
    namespace: keysNamespace(flags, io, configured),
    name: checkKeyName(name),
    rpm: positiveWhole('rpm', flags.rpm),
    tpm: positiveWhole('tpm', flags.tpm),
    project,
    budget: amountNanos === undefined ? undefined : { amountNanos, period },
  };
}

const budgetPhrase = (b: Pick<Budget, 'amountNanos' | 'period'>): string => `${formatUsd(b.amountNanos)} ${b.period === 'all' ? 'in all' : b.period === 'today' ? 'a day' : `a ${b.period}`}`;

/** The secret, shown this once: only its hash is kept. */
function printSecret(io: Io, json: Record<string, unknown> | undefined, lines: string[], secret: string): void {
  if (json !== undefined) io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else io.stdout.write(`${lines.join('\n')}\n\n  ${secret}\n\nIt is shown this once: only a hash of it is kept. Use it where a client puts its provider key.\n`);
}

export const keysCreateCommand: CommandSpec = {
  name: 'create',
  summary: 'create a gateway key and print its secret once',
  configure(command) {
    withSharedNamespaceHelp(ledgerOptions(command))
      .argument('<name>', 'the key’s name: 1-64 letters, digits, dots, dashes or underscores')
      .option('--budget <usd>', 'a budget for the key’s spend (US dollars), enforced by the gateway before each request')
      .option('--period <period>', 'the budget’s period: day, week, month or all (default month)')
      .option('--rpm <n>', 'requests per minute the key may make')
      .option('--tpm <n>', 'tokens per minute the key may use')
      .option('--project <name>', 'project the key’s requests are filed under')
      .option('-j, --json', 'print the key (with its secret) as JSON');
  },
  async run(io, args, flags) {
    requirePersistentLedger(flags, io, 'keys create');
    return withWorkspace(
      flags,
      io,
      (loaded) => createPlan(args[0] ?? '', flags, io, loaded.config.namespace),
      async (ws, plan) => {
        const secret = newSecret();
        const createdAt = io.now();
        await ws.ledger.createKey({
          namespace: plan.namespace,
          name: plan.name,
          secretHash: hashSecret(secret),
          secretPrefix: secretPrefix(secret),
          createdAt,
          ...(plan.rpm === undefined ? {} : { rpm: plan.rpm }),
          ...(plan.tpm === undefined ? {} : { tpm: plan.tpm }),
          ...(plan.project === undefined ? {} : { project: plan.project }),
        });
        const budget = plan.budget === undefined ? undefined : await ws.ledger.setBudget({ namespace: plan.namespace, scope: `key:${plan.name}`, ...plan.budget, setAt: createdAt });
        const json =
          flags.json === true
            ? {
                namespace: plan.namespace,
                name: plan.name,
                key: secret,
                prefix: secretPrefix(secret),
                created_at: createdAt,
                rpm: plan.rpm ?? null,
                tpm: plan.tpm ?? null,
                project: plan.project ?? null,
                budget: budget === undefined ? null : { scope: budget.scope, period: budget.period, budget_usd: nanosToUsd(budget.amountNanos) },
              }
            : undefined;
        const lines = [`Created the gateway key ${plan.name} (namespace ${plan.namespace}).`];
        if (budget !== undefined) lines.push(`Budget: ${budgetPhrase(budget)} (scope ${budget.scope}; shown by \`tokenledger budget list\`).`);
        lines.push('Its secret:');
        printSecret(io, json, lines, secret);
        return EXIT.ok;
      },
    );
  },
};

export const keysRotateCommand: CommandSpec = {
  name: 'rotate',
  summary: 'give a gateway key a new secret (the old one stops working) and print it once',
  configure(command) {
    withSharedNamespaceHelp(ledgerOptions(command)).argument('<name>', 'the key’s name').option('-j, --json', 'print the key (with its new secret) as JSON');
  },
  async run(io, args, flags) {
    requirePersistentLedger(flags, io, 'keys rotate');
    return withWorkspace(
      flags,
      io,
      (loaded) => ({ namespace: keysNamespace(flags, io, loaded.config.namespace), name: checkKeyName(args[0] ?? '') }),
      async (ws, { namespace, name }) => {
        const key = await keyNamed(ws.ledger, namespace, name);
        if (key.revokedAt !== undefined) throw badArgument(`the gateway key ${name} is revoked`, `create a new key instead: tokenledger keys create NAME`);
        const secret = newSecret();
        const at = io.now();
        await ws.ledger.updateKey(namespace, name, { secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), rotatedAt: at });
        const json = flags.json === true ? { namespace, name, key: secret, prefix: secretPrefix(secret), rotated_at: at } : undefined;
        printSecret(io, json, [`The gateway key ${name} has a new secret (namespace ${namespace}); the old one no longer works.`, 'Its new secret:'], secret);
        return EXIT.ok;
      },
    );
  },
};
