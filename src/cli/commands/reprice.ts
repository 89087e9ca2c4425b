import { EXIT, type ExitCode } from '../../core/errors.js';
import { priceEvent } from '../../pricing/price-event.js';
import type { Io } from '../io.js';
import { ledgerOptions } from '../../reports/options.js';
import { requirePersistentLedger } from '../persistent-ledger.js';
import { withWorkspace } from '../workspace.js';
import type { CommandSpec } from './command.js';

export const repriceCommand: CommandSpec = {
  name: 'reprice',
  summary: 'recompute every stored cost with the current prices and overrides',
  configure(command) {
    ledgerOptions(command).option('-j, --json', 'print the result as JSON');
  },
  async run(io: Io, _args, flags): Promise<ExitCode> {
    requirePersistentLedger(flags, io, 'reprice');
    return withWorkspace(
      flags,
      io,
      () => undefined,
      async (ws) => {
        const table = await ws.pricer.table();
        const versionId = await ws.ledger.priceVersionId(table.version);
        const unpriced = new Set<string>();
        const unpricedTiers = new Set<string>();
        const result = await ws.ledger.reprice(versionId, (event) => {
          const price = priceEvent(table, event);
          if (price.unpriced) unpriced.add(event.model);
          if (price.unpricedTier !== undefined) unpricedTiers.add(`${event.model} (${price.unpricedTier})`);
          return { costNanos: price.costNanos, unpriced: price.unpriced };
        });
        const summary = {
          priceVersion: table.version,
          events: result.events,
          changed: result.changed,
          unpricedEvents: result.stillUnpriced,
          unpricedModels: [...unpriced].sort(),
          serviceTiersAtStandardRates: [...unpricedTiers].sort(),
        };
        if (flags.json === true) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else {
          io.stdout.write(`Re-priced ${result.events} events with ${table.version}: ${result.changed} costs changed.\n`);
          if (unpriced.size > 0) io.stdout.write(`Still without a price: ${summary.unpricedModels.join(', ')} (${result.stillUnpriced} events).\n`);
          if (unpricedTiers.size > 0) io.stdout.write(`No price for these service tiers, priced at standard rates: ${summary.serviceTiersAtStandardRates.join(', ')}.\n`);
        }
        return EXIT.ok;
      },
    );
  },
};
