import { join } from 'node:path';

/**
 * Every analysis command as the bench runs it over the million-event ledger (JSON out, so no
 * terminal width matters); `work` holds the Prometheus file export writes.
 */
export function analysisCommands(work: string): [name: string, args: string[]][] {
  return [
    ['summary', ['summary', '--json']],
    ['projection', ['projection', '--json']],
    ['burn', ['burn', '--json']],
    ['anomaly', ['anomaly', '--json']],
    ['counterfactual', ['counterfactual', '--json']],
    ['optimize', ['optimize', '--json']],
    ['health', ['health', '--json']],
    ['conversation', ['conversation', '--json']],
    ['history', ['history', '--json']],
    ['session --latest', ['session', '--latest', '--json']],
    ['blocks --active', ['blocks', '--active', '--json']],
    ['blocks --recent', ['blocks', '--recent', '--json']],
    ['blocks (a year of blocks)', ['blocks', '--json']],
    ['federation', ['federation', '--json']],
    ['budget check', ['budget', 'check', '--json']],
    ['export (JSON)', ['export']],
    ['export --prometheus', ['export', '--prometheus', join(work, 'tokenledger.prom')]],
  ];
}
