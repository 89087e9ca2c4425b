import { badArgument, EXIT } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import { checkKeyName } from '../../ledger/key-name.js';
import { meterJson } from '../../sinks/json/meter-json.js';
import { KEYS_REPORT, keyNamed, noSuchKey } from '../../reports/keys.js';
import { printAnswer } from '../print-answer.js';
import { reportContextOf } from '../report-context.js';
import type { GatewayKey, KeyMeter } from '../../ledger/gateway-keys.js';
import type { Budget } from '../../ledger/ledger.js';
import { styleFor } from '../../sinks/table/style.js';
import { renderReport, type ReportColumn, type ReportSection } from '../../sinks/text/text-report.js';
import { type Io, terminalWidth } from '../io.js';
import { ledgerOptions } from '../../reports/options.js';
import { requirePersistentLedger } from '../persistent-ledger.js';
import { withWorkspace } from '../workspace.js';
import type { CommandSpec } from './command.js';
import { keysCreateCommand, keysRotateCommand } from './keys-create.js';
import { keysNamespace, withSharedNamespaceHelp } from './keys-namespace.js';

const when = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString().replace(/:\d\d\.\d+Z$/, 'Z'));
const count = (n: number): string => n.toLocaleString('en-US');

function print(io: Io, sections: ReportSection[]): void {
  io.stdout.write(renderReport(sections, 'table', terminalWidth(io), styleFor(io.stdout, io.env)));
}

/** The `key:` budgets of each key, by name. */
function budgetsByKey(budgets: readonly Budget[]): Map<string, Budget[]> {
  const map = new Map<string, Budget[]>();
  for (const b of budgets) {
    if (!b.scope.startsWith('key:')) continue;
    const name = b.scope.slice(4);
    map.set(name, [...(map.get(name) ?? []), b]);
  }
  return map;
}

/** What `keys list --json` says of a key: never its secret, nor its hash. */
function keyJson(k: GatewayKey, budgets: readonly Budget[]): Record<string, unknown> {
  return {
    name: k.name,
    prefix: k.secretPrefix,
    created_at: k.createdAt,
    revoked: k.revokedAt !== undefined,
    revoked_at: k.revokedAt ?? null,
    rotated_at: k.rotatedAt ?? null,
    rpm: k.rpm ?? null,
    tpm: k.tpm ?? null,
    project: k.project ?? null,
    budgets: budgets.map((b) => ({ period: b.period, budget_usd: nanosToUsd(b.amountNanos) })),
  };
}

const LIST_COLUMNS: ReportColumn[] = [
  { header: 'Name', priority: 100 },
  { header: 'Secret' },
  { header: 'Created' },
  { header: 'Status', priority: 100 },
  { header: 'RPM', align: 'right' },
  { header: 'TPM', align: 'right' },
  { header: 'Project', minWidth: 8 },
  { header: 'Budget' },
];

const listCommand: CommandSpec = {
  name: 'list',
  summary: 'list the gateway keys (names, secret prefixes, limits, budgets; never a secret)',
  configure(command) {
    withSharedNamespaceHelp(ledgerOptions(command)).option('-j, --json', 'print JSON');
  },
  async run(io, _args, flags) {
    return withWorkspace(
      flags,
      io,
      (loaded) => keysNamespace(flags, io, loaded.config.namespace),
      async (ws, namespace) => {
        const keys = await ws.ledger.gatewayKeys(namespace);
        const budgets = budgetsByKey(await ws.ledger.budgets(namespace));
        if (flags.json === true) io.stdout.write(`${JSON.stringify({ namespace, keys: keys.map((k) => keyJson(k, budgets.get(k.name) ?? [])) }, null, 2)}\n`);
        else if (keys.length === 0) io.stdout.write(`No gateway keys in namespace ${namespace}; create one with \`tokenledger keys create NAME\`.\n`);
        else {
          const rows = keys.map((k) => [
            k.name,
            `${k.secretPrefix}…`,
            when(k.createdAt),
            k.revokedAt === undefined ? 'active' : `revoked ${when(k.revokedAt)}`,
            k.rpm === undefined ? '' : count(k.rpm),
            k.tpm === undefined ? '' : count(k.tpm),
            k.project ?? '',
            (budgets.get(k.name) ?? []).map((b) => `${formatUsd(b.amountNanos)} ${b.period}`).join(', '),
          ]);
          print(io, [{ title: `Gateway keys (namespace ${namespace})`, columns: LIST_COLUMNS, rows }]);
        }
        return EXIT.ok;
      },
    );
  },
};

const revokeCommand: CommandSpec = {
  name: 'revoke',
  summary: 'revoke a gateway key: it no longer authenticates (its name and history stay)',
  configure(command) {
    withSharedNamespaceHelp(ledgerOptions(command)).argument('<name>', 'the key’s name');
  },
  async run(io, args, flags) {
    requirePersistentLedger(flags, io, 'keys revoke');
    return withWorkspace(
      flags,
      io,
      (loaded) => ({ namespace: keysNamespace(flags, io, loaded.config.namespace), name: checkKeyName(args[0] ?? '') }),
      async (ws, { namespace, name }) => {
        const key = await keyNamed(ws.ledger, namespace, name);
        if (key.revokedAt !== undefined) io.stdout.write(`The gateway key ${name} was already revoked (${when(key.revokedAt)}).\n`);
        else {
          await ws.ledger.updateKey(namespace, name, { revokedAt: io.now() });
          io.stdout.write(`Revoked the gateway key ${name} (namespace ${namespace}): it no longer authenticates; its usage stays in the ledger.\n`);
        }
        return EXIT.ok;
      },
    );
  },
};

const USAGE_COLUMNS: ReportColumn[] = [
  { header: 'Key', priority: 100 },
  { header: 'Requests', align: 'right', priority: 100 },
  { header: 'Prompt tokens', align: 'right' },
  { header: 'Completion tokens', align: 'right' },
  { header: 'Cached tokens', align: 'right' },
  { header: 'Total tokens', align: 'right' },
  { header: 'Cost', align: 'right', priority: 100 },
  { header: 'Last activity' },
  { header: 'Since' },
];

const usageRow = (m: KeyMeter): string[] => {
  const j = meterJson(m);
  return [
    m.name,
    count(j.prompt_count),
    count(j.total_prompt_tokens),
    count(j.total_completion_tokens),
    count(j.cached_tokens),
    count(j.total_tokens),
    formatUsd(m.costNanos),
    when(m.lastActivityAt),
    when(m.resetAt),
  ];
};

const usageCommand: CommandSpec = {
  name: 'usage',
  summary: 'the meter of every gateway key (or of one) since its last reset',
  configure(command) {
    KEYS_REPORT.configure(withSharedNamespaceHelp(command));
    command.argument('[name]', 'only this key');
  },
  async run(io, args, flags) {
    return withWorkspace(
      flags,
      io,
      (loaded) => ({ namespace: keysNamespace(flags, io, loaded.config.namespace), name: args[0] === undefined ? undefined : checkKeyName(args[0]) }),
      async (ws, { namespace, name }) => {
        if (flags.json === true) return printAnswer(io, KEYS_REPORT, reportContextOf(ws), flags, args);
        const keys = await ws.ledger.gatewayKeys(namespace);
        if (name !== undefined && !keys.some((k) => k.name === name)) throw noSuchKey(name, namespace);
        const meters = await ws.ledger.keyMeters(namespace, name === undefined ? undefined : [name]);
        if (meters.length === 0) io.stdout.write(`No gateway keys in namespace ${namespace}; create one with \`tokenledger keys create NAME\`.\n`);
        else print(io, [{ title: `Gateway key usage since each key's last reset (namespace ${namespace})`, columns: USAGE_COLUMNS, rows: meters.map(usageRow) }]);
        return EXIT.ok;
      },
    );
  },
};

const resetCommand: CommandSpec = {
  name: 'reset',
  summary: 'start a new meter for a key (or every key, --all); the ledger keeps every event',
  configure(command) {
    withSharedNamespaceHelp(ledgerOptions(command)).argument('[name]', 'the key’s name').option('--all', 'reset the meters of every key of the namespace');
  },
  async run(io, args, flags) {
    requirePersistentLedger(flags, io, 'keys reset');
    const all = flags.all === true;
    if (all === (args[0] !== undefined)) throw badArgument(all ? 'keys reset takes a key name or --all, not both' : 'keys reset needs a key name, or --all for every key');
    return withWorkspace(
      flags,
      io,
      (loaded) => ({ namespace: keysNamespace(flags, io, loaded.config.namespace), name: args[0] === undefined ? undefined : checkKeyName(args[0]) }),
      async (ws, { namespace, name }) => {
        const reset = await ws.ledger.resetMeters(namespace, name === undefined ? 'all' : [name], io.now());
        if (name !== undefined && reset === 0) throw noSuchKey(name, namespace);
        io.stdout.write(
          `${name === undefined ? `Reset the meters of ${reset} gateway key${reset === 1 ? '' : 's'}` : `Reset the meter of the gateway key ${name}`} (namespace ${namespace}); reports still show the usage before.\n`,
        );
        return EXIT.ok;
      },
    );
  },
};

export const keysCommand: CommandSpec = {
  name: 'keys',
  summary: 'gateway keys: create, list, revoke, rotate, usage, reset',
  configure(command) {
    withSharedNamespaceHelp(command);
  },
  subcommands: [keysCreateCommand, listCommand, revokeCommand, keysRotateCommand, usageCommand, resetCommand],
};
