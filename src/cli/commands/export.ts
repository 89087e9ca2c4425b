import { badArgument } from '../../core/errors.js';
import type { Runnable } from './command.js';

export const exportCommand: Runnable = {
  name: 'export',
  summary: '(being written)',
  configure() {},
  async run() {
    throw badArgument('not yet available');
  },
};
