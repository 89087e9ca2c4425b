import { Worker } from 'node:worker_threads';
import { type ErrorCode, TokenledgerError } from '../core/errors.js';
import type { Admission, AdmitResult } from '../ledger/gateway-keys.js';
import type { CommitResult, CommitBatch } from '../ledger/ledger.js';
import type { GatewayWrites } from './ledger-writes.js';
import type { GatheredCall, WriterCall, WriterData, WriterReply } from './writer-protocol.js';

type Call = WriterCall extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/** Where the writer thread's bundle is: beside the CLI's (`build.mjs` builds it). */
export const WRITER_SCRIPT = new URL('./gateway-writer.mjs', import.meta.url);

/**
 * The gateway's writes made by a worker thread with its own ledger connection (`gateway-writer.ts`).
 * Resolves once the thread has opened the ledger.
 */
export async function threadWrites(data: WriterData, script: URL = WRITER_SCRIPT): Promise<GatewayWrites> {
  const worker = new Worker(script, { workerData: data });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 1;
  let failure: Error | undefined;
  const failAll = (error: Error): void => {
    failure = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    const answer = (reply: WriterReply): void => {
      const p = pending.get(reply.id);
      pending.delete(reply.id);
      if (p === undefined) return;
      if (reply.ok) p.resolve(reply.value);
      else p.reject(reply.code === undefined ? new Error(reply.message) : new TokenledgerError(reply.code as ErrorCode, reply.message));
    };
    worker.on('message', (reply: WriterReply | WriterReply[]) => {
      if (Array.isArray(reply)) for (const r of reply) answer(r);
      else if (reply.id === 0) resolve();
      else answer(reply);
    });
    worker.once('error', (error) => {
      failAll(error);
      reject(error);
    });
    worker.once('exit', (code) => {
      const error = new TokenledgerError('INTERNAL', `the gateway's ledger writer stopped (exit code ${code})`);
      failAll(error);
      reject(error);
    });
  });
  const call = <T>(c: Call): Promise<T> => {
    if (failure !== undefined) return Promise.reject(failure);
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...c, id });
    });
  };
  // Admissions and releases made in one event-loop turn go as one message, made in one transaction.
  let gathered: GatheredCall[] = [];
  const send = (): void => {
    const calls = gathered;
    gathered = [];
    if (failure !== undefined) return;
    worker.postMessage(calls.length === 1 ? calls[0] : ({ id: 0, op: 'gathered', calls } satisfies WriterCall));
  };
  const gather = <T>(c: Extract<Call, { op: 'admit' | 'release' }>): Promise<T> => {
    if (failure !== undefined) return Promise.reject(failure);
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (gathered.push({ ...c, id } as GatheredCall) === 1) setImmediate(send);
    });
  };
  return {
    commit: (batch: CommitBatch) => call<CommitResult>({ op: 'commit', batch }),
    admit: (admission: Admission) => gather<AdmitResult>({ op: 'admit', admission }),
    releaseReservations: (ids) => gather<void>({ op: 'release', ids }),
    expireReservations: (now) => call<number>({ op: 'expire', now }),
    async close() {
      if (failure === undefined) await call<void>({ op: 'close' }).catch(() => {});
      await worker.terminate();
    },
  };
}
