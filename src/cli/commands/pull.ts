import { copyCommand } from './copy-command.js';

/** `tokenledger pull URL`: another ledger's (a team ledger's) new events and drops into this one. */
export const pullCommand = copyCommand('pull');
