import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postgresSettings, STATEMENT_TIMEOUT_MS, WORK_MEM } from './connect.js';

const settings = (url: string, schema?: string) => postgresSettings({ engine: 'postgres', url, ...(schema === undefined ? {} : { schema }) });

describe('connection settings from the URL', () => {
  it('names the application, a statement timeout, the schema (default public) on the search path', () => {
    const s = settings('postgres://u:pw@db.example:6543/team');
    expect(s.schema).toBe('public');
    expect(s.config).toMatchObject({ application_name: 'tokenledger', statement_timeout: STATEMENT_TIMEOUT_MS, options: `-c search_path=public -c work_mem=${WORK_MEM}`, ssl: false });
    expect(s.config.connectionString).toBe('postgres://u:pw@db.example:6543/team');
    const t = settings('postgresql://u@db/team?statement_timeout=5000&connect_timeout=3&schema=ledger');
    expect(t.schema).toBe('ledger');
    expect(t.config).toMatchObject({ statement_timeout: 5000, connectionTimeoutMillis: 3000 });
    // Options the engine reads are not passed on to the driver.
    expect(t.config.connectionString).toBe('postgresql://u@db/team');
    expect(settings('postgres://u@db/team?schema=ledger', 'tl_test_x').schema).toBe('tl_test_x');
  });

  it('honours sslmode and sslrootcert', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokenledger-ca-'));
    try {
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, 'CA PEM');
      expect(settings('postgres://db/x?sslmode=disable').config.ssl).toBe(false);
      expect(settings('postgres://db/x?sslmode=prefer').config.ssl).toBe(false);
      expect(settings('postgres://db/x?sslmode=require').config.ssl).toEqual({ rejectUnauthorized: false });
      const verifyCa = settings(`postgres://db/x?sslmode=verify-ca&sslrootcert=${ca}`).config.ssl as Record<string, unknown>;
      expect(verifyCa).toMatchObject({ ca: 'CA PEM', rejectUnauthorized: true });
      expect((verifyCa.checkServerIdentity as () => unknown)()).toBeUndefined();
      const full = settings(`postgres://db/x?sslmode=verify-full&sslrootcert=${ca}`).config.ssl as Record<string, unknown>;
      expect(full).toEqual({ ca: 'CA PEM', rejectUnauthorized: true });
      // A CA named without a mode verifies fully, as libpq does.
      expect(settings(`postgres://db/x?sslrootcert=${ca}`).config.ssl).toEqual({ ca: 'CA PEM', rejectUnauthorized: true });
      expect(settings(`postgres://db/x?sslmode=require&sslrootcert=${ca}`).config.ssl).toMatchObject({ ca: 'CA PEM', rejectUnauthorized: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what it cannot use, naming the server without the password', () => {
    for (const [url, words] of [
      ['postgres://u:s3cret@db/x?sslmode=sometimes', 'sslmode=sometimes'],
      ['postgres://u:s3cret@db/x?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem', '/nonexistent/ca.pem'],
      ['postgres://u:s3cret@db/x?statement_timeout=soon', 'statement_timeout=soon'],
      ['postgres://u:s3cret@db/x?schema=a;drop', 'schema name'],
    ] as const) {
      let message = '';
      try {
        settings(url);
      } catch (error) {
        expect(error).toMatchObject({ code: 'LEDGER' });
        message = (error as Error).message;
      }
      expect(message).toContain(words);
      expect(message).toContain('db');
      expect(message).not.toContain('s3cret');
    }
  });
});
