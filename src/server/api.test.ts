import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../app/open-app.js';
import { loadConfig } from '../config/load.js';
import { hashSecret, newSecret, secretPrefix } from '../gateway/keys/secret.js';
import { REPORTS } from '../reports/index.js';
import { queryArgv } from '../reports/query-flags.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { FIXTURE_NOW, fixtureEnv, runCliOn } from '../testing/run-cli.js';
import { transcriptLines } from '../watch/sample-lines.js';
import { accessFor } from './access.js';
import { ledgerServer, type LedgerServer } from './ledger-server.js';
import { NOTES_HEADER } from './report-answer.js';

const DAY = 86_400_000;
/** A project folder named to break out of HTML, JSON and headers. */
const HOSTILE = '/home/dev/<img src=x onerror=alert(1)>"q\\\u2028é';

/** A request's query and path arguments. */
interface FlagSet {
  query: string;
  args?: readonly string[];
}

/**
 * The flag sets each registered report is answered with, by the API and by `tokenledger <report>
 * --json --no-sync`; a report registered without a line here fails the test that lists them.
 */
const FLAG_SETS: Readonly<Record<string, readonly FlagSet[]>> = {
  daily: [
    { query: '' },
    { query: 'project=nowhere' },
    { query: 'since=2025-10-08&until=2025-10-09' },
    { query: 'breakdown&order=desc' },
    { query: 'timezone=America/New_York&project=app' },
    { query: 'since=yesterday-ish' },
  ],
  weekly: [{ query: '' }, { query: 'breakdown' }, { query: 'start-of-week=sunday' }],
  monthly: [{ query: '' }, { query: 'breakdown&order=desc' }],
  session: [{ query: '' }, { query: 'breakdown' }, { query: 'last=1' }, { query: 'session-id=s-app' }],
  blocks: [{ query: '' }, { query: 'recent' }, { query: 'active' }],
  summary: [{ query: '' }, { query: 'since=2025-10-01' }],
  projection: [{ query: '' }],
  burn: [{ query: '' }],
  anomaly: [{ query: '' }],
  counterfactual: [{ query: '' }],
  optimize: [{ query: '' }],
  budgets: [{ query: '' }, { query: 'period=month' }],
  'budget-check': [{ query: '' }, { query: 'scope=nowhere' }],
  keys: [{ query: '' }, { query: '', args: ['ci'] }, { query: '', args: ['no such key'] }],
};

/** The command line of a report whose name is not its command's. */
const CLI_WORDS: Readonly<Record<string, readonly string[]>> = {
  budgets: ['budget', 'list'],
  'budget-check': ['budget', 'check'],
  keys: ['keys', 'usage'],
};

let fx: FixtureLedger;
let app: App;
let server: LedgerServer;

beforeAll(async () => {
  fx = new FixtureLedger();
  const app1 = transcriptLines('s-app', '/home/dev/app');
  const hostile = transcriptLines('s-hostile', HOSTILE);
  const t0 = FIXTURE_NOW - 2 * DAY;
  fx.write('claude/projects/-home-dev-app/s-app.jsonl', [0, 1, 2].map((n) => app1.exchange(n, t0 + n * 3_600_000)).join(''));
  fx.write('claude/projects/-home-dev-hostile/s-hostile.jsonl', [0, 1].map((n) => hostile.exchange(n, t0 + DAY + n * 3_600_000, { output_tokens: 900 })).join(''));
  expect((await runCliOn(fx, ['sync'])).code).toBe(0);
  expect((await runCliOn(fx, ['budget', 'set', '5', '--period', 'all'])).code).toBe(0);
  const secret = newSecret();
  await fx.read((l) => l.createKey({ namespace: 'cost-tracking', name: 'ci', secretHash: hashSecret(secret), secretPrefix: secretPrefix(secret), createdAt: FIXTURE_NOW - DAY }));
  const env = fixtureEnv(fx);
  app = await openApp(loadConfig(undefined, env), undefined, env, () => {});
  server = ledgerServer({ app, env, now: () => FIXTURE_NOW, access: accessFor({ host: '127.0.0.1', port: 0 }, undefined, undefined, false), log: () => {} });
  await server.start();
});

afterAll(async () => {
  server.stop();
  await app.ledger.close();
  fx.remove();
});

const get = (path: string): Promise<Response> => server.app.fetch(new Request(`http://127.0.0.1${path}`));

/** The command line a flag set stands for, as the API reads it. */
function argv(name: string, set: FlagSet): string[] {
  const report = REPORTS.find((r) => r.name === name);
  if (report === undefined) throw new Error(`no report ${name}`);
  const command = new Command(name);
  report.configure(command);
  let query: string[];
  try {
    query = queryArgv(command, new URLSearchParams(set.query));
  } catch {
    // A value the API refuses before parsing: the CLI is given it as written.
    query = [...new URLSearchParams(set.query)].flatMap(([k, v]) => (v === '' ? [`--${k}`] : [`--${k}`, v]));
  }
  const local = command.options.some((o) => o.long === '--no-sync') ? ['--json', '--no-sync'] : ['--json'];
  return [...(CLI_WORDS[name] ?? [name]), ...(set.args ?? []), ...query, ...local];
}

describe('the JSON API', () => {
  it('has flag sets here for every registered report', () => {
    expect(REPORTS.map((r) => r.name).filter((name) => FLAG_SETS[name] === undefined)).toEqual([]);
  });

  for (const report of REPORTS) {
    for (const set of FLAG_SETS[report.name] ?? []) {
      const path = `/api/v1/${report.name}${(set.args ?? []).map((a) => `/${encodeURIComponent(a)}`).join('')}${set.query === '' ? '' : `?${set.query}`}`;
      it(`answers ${path} with exactly the bytes of the CLI's --json, or its error`, async () => {
        const [response, cli] = await Promise.all([get(path), runCliOn(fx, argv(report.name, set))]);
        const body = await response.text();
        if (cli.code === 2) {
          expect(response.status, body).toBe(400);
          const message = (JSON.parse(body) as { error: { message: string } }).error.message;
          expect(cli.stderr).toContain(message);
        } else {
          expect(response.status, body).toBe(200);
          expect(body).toBe(cli.stdout);
          expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
          // The notes the CLI writes on stderr, in the header.
          const notes = JSON.parse(response.headers.get(NOTES_HEADER) ?? 'null') as string[];
          for (const note of notes) expect(cli.stderr).toContain(`note: ${note.replaceAll('\n', '\n      ')}`);
        }
      });
    }
  }

  it('lists every report with its path and parameters, without the command line’s own options', async () => {
    const response = await get('/api/v1');
    expect(response.status).toBe(200);
    const index = (await response.json()) as { reports: { name: string; path: string; parameters: { name: string }[] }[] };
    expect(index.reports.map((r) => r.name)).toEqual(REPORTS.map((r) => r.name));
    for (const entry of index.reports) {
      expect(entry.path.startsWith(`/api/v1/${entry.name}`)).toBe(true);
      expect(entry.parameters.map((p) => p.name)).not.toContain('db');
    }
  });

  it('answers a bad parameter with 400 and the CLI’s message, an unknown report with 404, as JSON', async () => {
    const missing = await get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const report = REPORTS[0];
    if (report === undefined) return;
    const bad = await get(`/api/v1/${report.name}?no-such-flag=1`);
    expect(bad.status).toBe(400);
    const error = ((await bad.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('BAD_ARGUMENT');
    const cli = await runCliOn(fx, [report.name, '--no-such-flag', '1', '--json', '--no-sync']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain(error.message);
    // The command line's own options are no query parameters.
    expect((await get(`/api/v1/${report.name}?db=/etc/passwd`)).status).toBe(400);
  });

  it('gives back hostile names from the ledger as JSON strings, never as markup or a broken header', async () => {
    const session = REPORTS.find((r) => r.name === 'session') ?? REPORTS.find((r) => r.name === 'daily');
    if (session === undefined) return;
    const response = await get(`/api/v1/${session.name}?breakdown`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await response.text();
    // Inside a JSON string (its quote and backslash escaped), answered as JSON the browser never renders.
    expect(text).toContain('<img src=x onerror=alert(1)>\\"q\\\\');
    expect(JSON.stringify(JSON.parse(text))).toContain('onerror=alert(1)');
  });
});
