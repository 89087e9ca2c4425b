import { copyCommand } from './copy-command.js';

/** `tokenledger push URL`: this ledger's new events and drops into another (a team ledger). */
export const pushCommand = copyCommand('push');
