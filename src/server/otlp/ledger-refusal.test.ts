import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../../core/errors.js';
import { ledgerRefusal } from './ledger-refusal.js';

describe('ledgerRefusal', () => {
  it('answers 503 with Retry-After to a ledger fault that passes, so the exporter retries', () => {
    expect(ledgerRefusal(new TokenledgerError('LEDGER_LOCKED', 'the ledger x is locked by another writer for more than 15 s'))).toEqual({
      status: 503,
      message: 'the ledger cannot take it now (LEDGER_LOCKED): the ledger x is locked by another writer for more than 15 s',
      retryAfterS: 1,
    });
    expect(ledgerRefusal(new TokenledgerError('LEDGER_UNREACHABLE', 'connection refused'))).toMatchObject({ status: 503, retryAfterS: 5 });
    expect(ledgerRefusal(new TokenledgerError('DISK_FULL', 'no space left'))).toMatchObject({ status: 503, retryAfterS: 30 });
  });

  it('answers 500 with one line, never a stack, to what a retry cannot mend', () => {
    expect(ledgerRefusal(new TokenledgerError('LEDGER_READ_ONLY', 'read only\nsecond line'))).toEqual({ status: 500, message: 'the ledger refused it (LEDGER_READ_ONLY): read only' });
    const thrown = new TypeError('x is not a function');
    expect(ledgerRefusal(thrown)).toEqual({ status: 500, message: 'internal error: x is not a function' });
  });
});
