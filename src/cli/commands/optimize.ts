import { badArgument } from '../../core/errors.js';
import type { Runnable } from './command.js';

export const optimizeCommand: Runnable = {
  name: 'optimize',
  summary: '(being written)',
  configure() {},
  async run() {
    throw badArgument('not yet available');
  },
};
