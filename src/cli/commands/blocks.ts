import { EXIT } from '../../core/errors.js';
import { BLOCKS_REPORT, blocksOptions, computeBlocks } from '../../reports/blocks.js';
import { runAnalysis } from '../analysis.js';
import { printAnswer } from '../print-answer.js';
import { reportContextOf } from '../report-context.js';
import { blocksSections } from './blocks-report.js';
import type { Runnable } from './command.js';

export const blocksCommand: Runnable = {
  name: 'blocks',
  summary: 'usage in 5-hour blocks per provider (as subscription plans meter it): burn rate and projection of each active block, official limits',
  configure: (command) => BLOCKS_REPORT.configure(command),
  async run(io, _args, flags) {
    return runAnalysis(
      'blocks',
      flags,
      io,
      () => blocksOptions(flags),
      async (a, options) => {
        if (a.format === 'json') return printAnswer(io, BLOCKS_REPORT, reportContextOf(a.ws), flags, []);
        a.print(blocksSections(await computeBlocks(a.ws.ledger, a.namespace, a.now, options), a));
        return EXIT.ok;
      },
    );
  },
};
