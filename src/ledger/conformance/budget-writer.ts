/**
 * One of several writers at once, run as its own process by budgets.test.ts: opens the ledger at
 * the location given (JSON, first argument) as machine `writer-<n>` (second argument), says `ready`,
 * and once told `go` on stdin commits `BUDGET_BATCHES` batches (`budgetEvents`) with the
 * budget check, saying each level its commits crossed (`crossed <level>`) and then `done`.
 */
import { writeSync } from 'node:fs';
import { budgetGuard } from '../../budgets/guard.js';
import { DEFAULT_THRESHOLDS } from '../../budgets/ladder.js';
import { ZoneClock } from '../../core/zone-clock.js';
import { recordEvents } from '../../testing/record-events.js';
import type { LedgerLocation } from '../location.js';
import { openLedger } from '../open-ledger.js';
import { BUDGET_BATCHES, BUDGET_NOW, budgetEvents } from './budget-batches.js';

const location = JSON.parse(process.argv[2] ?? '') as LedgerLocation;
const writer = Number(process.argv[3]);
const ledger = await openLedger(location, { recorder: { user: `writer-${writer}`, machine: `writer-${writer}` } });
const say = (line: string) => writeSync(1, `${line}\n`);
const check = budgetGuard({ clock: new ZoneClock('UTC'), startOfWeek: 'monday', thresholds: DEFAULT_THRESHOLDS, now: () => BUDGET_NOW }, (c) => say(`crossed ${c.level}`));
say('ready');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
for (let b = 0; b < BUDGET_BATCHES; b++) await recordEvents(ledger, budgetEvents(writer, b), `writer-${writer}-batch-${b}`, [check]);
await ledger.close();
say('done');
process.stdin.destroy();
