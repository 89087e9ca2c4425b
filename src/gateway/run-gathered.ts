import type { GatewayLedger } from '../ledger/gateway-keys.js';
import type { GatheredCall, WriterReply } from './writer-protocol.js';

/**
 * Makes gathered admissions and releases in order: each run of admissions in one go
 * (`admitEach`: one transaction, each decided exactly as one by one), each run of releases as one
 * release of all their ids. Every call is answered under its own id.
 */
export async function runGathered(
  ledger: Pick<GatewayLedger, 'admit' | 'admitEach' | 'releaseReservations'>,
  calls: readonly GatheredCall[],
  failed: (id: number, error: unknown) => WriterReply,
): Promise<WriterReply[]> {
  const replies: WriterReply[] = [];
  for (let from = 0; from < calls.length; ) {
    const op = calls[from]?.op;
    let to = from;
    while (to < calls.length && calls[to]?.op === op) to++;
    const run = calls.slice(from, to);
    from = to;
    if (op === 'admit') replies.push(...(await admitRun(ledger, run as Extract<GatheredCall, { op: 'admit' }>[], failed)));
    else {
      const releases = run as Extract<GatheredCall, { op: 'release' }>[];
      try {
        await ledger.releaseReservations(releases.flatMap((r) => r.ids));
        for (const r of releases) replies.push({ id: r.id, ok: true, value: undefined });
      } catch (error) {
        for (const r of releases) replies.push(failed(r.id, error));
      }
    }
  }
  return replies;
}

async function admitRun(
  ledger: Pick<GatewayLedger, 'admit' | 'admitEach'>,
  run: readonly Extract<GatheredCall, { op: 'admit' }>[],
  failed: (id: number, error: unknown) => WriterReply,
): Promise<WriterReply[]> {
  if (ledger.admitEach === undefined || run.length === 1) {
    const replies: WriterReply[] = [];
    for (const call of run) {
      try {
        replies.push({ id: call.id, ok: true, value: await ledger.admit(call.admission) });
      } catch (error) {
        replies.push(failed(call.id, error));
      }
    }
    return replies;
  }
  try {
    const results = await ledger.admitEach(run.map((c) => c.admission));
    return run.map((call, i) => {
      const result = results[i];
      return result instanceof Error ? failed(call.id, result) : { id: call.id, ok: true, value: result };
    });
  } catch (error) {
    return run.map((call) => failed(call.id, error));
  }
}
