import type { Budget, BudgetCrossing, CommitCheck, Spend, SpendFilter, WrittenSpan } from './ledger.js';

/** What running checks asks of the engine, one step at a time. */
export type CheckStep = { kind: 'budgets'; namespace: string } | { kind: 'spend'; filter: SpendFilter } | { kind: 'record'; crossing: BudgetCrossing };

/** The engine's answer to a step: budgets, a spend, or whether a crossing was new. */
export type CheckAnswer = Budget[] | Spend | boolean;

/**
 * Runs `checks` over the namespaces a commit wrote (in sorted order, the order an engine takes
 * its per-namespace locks in) as a sequence of steps the engine answers: the one logic every
 * engine drives, synchronously (SQLite) or not (PostgreSQL). Returns the crossings recorded first.
 */
export function* runChecks(checks: readonly CommitCheck[], written: ReadonlyMap<string, WrittenSpan>): Generator<CheckStep, BudgetCrossing[], CheckAnswer> {
  const recorded: BudgetCrossing[] = [];
  if (checks.length === 0) return recorded;
  for (const namespace of [...written.keys()].sort()) {
    const span = written.get(namespace)!;
    const budgets = (yield { kind: 'budgets', namespace }) as Budget[];
    if (budgets.length === 0) continue;
    for (const check of checks) {
      for (const read of check.reads(namespace, span, budgets)) {
        const spend = (yield { kind: 'spend', filter: read.filter }) as Spend;
        for (const crossing of check.crossings(read, spend)) {
          if ((yield { kind: 'record', crossing }) as boolean) recorded.push(crossing);
        }
      }
    }
  }
  return recorded;
}

/** Drives `runChecks` with synchronous answers (an engine whose transaction is synchronous). */
export function runChecksSync(
  checks: readonly CommitCheck[],
  written: ReadonlyMap<string, WrittenSpan>,
  access: { budgets(namespace: string): Budget[]; spend(filter: SpendFilter): Spend; recordCrossing(crossing: BudgetCrossing): boolean },
): BudgetCrossing[] {
  const steps = runChecks(checks, written);
  let next = steps.next(undefined as unknown as CheckAnswer);
  while (next.done !== true) next = steps.next(answer(next.value, access));
  return next.value;
}

/** Drives `runChecks` with asynchronous answers (a networked engine). */
export async function runChecksAsync(
  checks: readonly CommitCheck[],
  written: ReadonlyMap<string, WrittenSpan>,
  access: {
    budgets(namespace: string): Promise<Budget[]>;
    spend(filter: SpendFilter): Promise<Spend>;
    recordCrossing(crossing: BudgetCrossing): Promise<boolean>;
  },
): Promise<BudgetCrossing[]> {
  const steps = runChecks(checks, written);
  let next = steps.next(undefined as unknown as CheckAnswer);
  while (next.done !== true) next = steps.next(await answer(next.value, access));
  return next.value;
}

function answer<A extends Budget[] | Promise<Budget[]>, S extends Spend | Promise<Spend>, B extends boolean | Promise<boolean>>(
  step: CheckStep,
  access: { budgets(namespace: string): A; spend(filter: SpendFilter): S; recordCrossing(crossing: BudgetCrossing): B },
): A | S | B {
  if (step.kind === 'budgets') return access.budgets(step.namespace);
  if (step.kind === 'spend') return access.spend(step.filter);
  return access.recordCrossing(step.crossing);
}

/** Tells each check the crossings a commit recorded, once the commit is durable. */
export function announceCommitted(checks: readonly CommitCheck[], crossings: readonly BudgetCrossing[]): void {
  for (const check of checks) check.committed?.(crossings);
}
