import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';
import type { Io } from './io.js';
import { runTextIngest, type TextIngestOptions } from './text-ingest.js';
import { loadSettings, openWorkspace } from './workspace.js';

const ledgers: FixtureLedger[] = [];
afterEach(() => {
  for (const l of ledgers.splice(0)) l.remove();
});

async function ingest(ledger: FixtureLedger, text: string, options: TextIngestOptions, name = 'stdin') {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: { ...ledger.env, TOKENLEDGER_DB: ledger.dbPath, XDG_CONFIG_HOME: join(ledger.dir, 'config'), TZ: 'UTC' },
    now: () => Date.UTC(2025, 9, 10, 12),
  };
  const ws = await openWorkspace(loadSettings({}, io), {}, io);
  try {
    const code = await runTextIngest(ws, { text, name }, options);
    return { code, stdout, stderr };
  } finally {
    await ws.ledger.close();
  }
}

function fixture(): FixtureLedger {
  const ledger = new FixtureLedger();
  ledgers.push(ledger);
  return ledger;
}

const GEMINI_OUTPUT = 'Thinking…\nToken count: 1,234 input, 567 output\nDone.\nToken count: 1,234 input, 567 output\n';

describe('runTextIngest', () => {
  it('records each usage line with the tool default model, derived session and the time read', async () => {
    const ledger = fixture();
    const run = await ingest(ledger, GEMINI_OUTPUT, { tool: 'gemini', project: '/work/app' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Read 2 gemini usage line(s) from stdin: 2 new, 0 already recorded, 0 dropped.');
    expect(run.stderr).toContain('recorded as gemini-2.5-pro');
    const rows = await ledger.events();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ agent: 'gemini-text', model: 'gemini-2.5-pro', project: '/work/app', inputTokens: 1234, outputTokens: 567, occurredAt: Date.UTC(2025, 9, 10, 12), unpriced: false });
      expect(row.sessionId).toMatch(/^gemini-text-[0-9a-f]{16}$/);
      expect(row.costNanos).toBeGreaterThan(0);
    }
  });

  it('is idempotent: the same output twice is recorded once, a different output is not confused with it', async () => {
    const ledger = fixture();
    await ingest(ledger, GEMINI_OUTPUT, { tool: 'gemini' });
    const again = await ingest(ledger, GEMINI_OUTPUT.replace(/\n/g, '\r\n').replace('Token', '\u001b[1mToken\u001b[0m'), { tool: 'gemini' });
    expect(again.stderr).toContain('0 new, 2 already recorded');
    expect(await ledger.events()).toHaveLength(2);
    const other = await ingest(ledger, 'Token count: 1,234 input, 567 output\n', { tool: 'gemini' });
    expect(other.stderr).toContain('1 new');
    expect(await ledger.events()).toHaveLength(3);
  });

  it('under one --session, a longer copy of the output adds only its new lines', async () => {
    const ledger = fixture();
    await ingest(ledger, 'Tokens used: 10 prompt + 5 completion (gpt-4o)\n', { tool: 'openai', sessionId: 'run-1' });
    const grown = await ingest(ledger, 'Tokens used: 10 prompt + 5 completion (gpt-4o)\nTokens used: 10 prompt + 5 completion (gpt-4o)\n', { tool: 'openai', sessionId: 'run-1' });
    expect(grown.stderr).toContain('1 new, 1 already recorded');
    expect((await ledger.events()).map((r) => r.sessionId)).toEqual(['run-1', 'run-1']);
  });

  it('takes the model from the line, then --model; without either an openai line is recorded unpriced', async () => {
    const ledger = fixture();
    await ingest(ledger, 'MiniMax usage: 100 input tokens, 50 output tokens (MiniMax-M2)\n', { tool: 'minimax', model: 'MiniMax-M2.7' });
    await ingest(ledger, 'Tokens used: 100 prompt + 50 completion\n', { tool: 'openai', model: 'gpt-4o' });
    const unknown = await ingest(ledger, 'Tokens used: 7 prompt + 3 completion\n', { tool: 'openai' });
    expect(unknown.stderr).toContain('recorded as openai-unknown, which has no price');
    expect(unknown.stderr).toContain('no price is known for openai-unknown');
    const models = (await ledger.events()).map((r) => [r.agent, r.model, r.unpriced]);
    expect(models).toEqual(
      expect.arrayContaining([
        ['minimax-text', 'MiniMax-M2', false],
        ['openai-text', 'gpt-4o', false],
        ['openai-text', 'openai-unknown', true],
      ]),
    );
  });

  it('reports lines that look like usage but cannot be read (name:line) and exits 3', async () => {
    const ledger = fixture();
    const run = await ingest(ledger, 'Token count: 10 input, 2 output\nToken count: abc input, 2 output\n', { tool: 'gemini' }, 'out.txt');
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('dropped out.txt:2: "abc" before "input" is not a token count: Token count: abc input, 2 output');
    expect(await ledger.events()).toHaveLength(1);
    expect((await ledger.read((l) => l.drops(100))).map(({ line, reason }) => ({ line, reason }))).toEqual([{ line: 2, reason: '"abc" before "input" is not a token count' }]);
  });

  it('drops a printed count above 10^9 tokens, the bound every source shares, and keeps 10^9', async () => {
    const ledger = fixture();
    const run = await ingest(ledger, 'Token count: 1,000,000,001 input, 2 output\nToken count: 1,000,000,000 input, 2 output\n', { tool: 'gemini' }, 'out.txt');
    expect(run.code).toBe(3);
    expect((await ledger.read((l) => l.drops(100))).map(({ line, reason }) => ({ line, reason }))).toEqual([{ line: 1, reason: 'a count is above 10^9 tokens' }]);
    expect((await ledger.events()).map((e) => e.inputTokens)).toEqual([1e9]);
  });

  it('refuses an unknown tool, listing the known ones (exit 2 through the CLI)', async () => {
    const ledger = fixture();
    await expect(ingest(ledger, 'x', { tool: 'claude' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT', hint: 'known tools: gemini, openai, minimax' });
  });

  it('says when nothing was found', async () => {
    const ledger = fixture();
    const run = await ingest(ledger, 'hello\n', { tool: 'minimax' });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('no minimax usage lines in stdin');
  });

  it('runs as `ingest --text --tool <tool>` from stdin or a file', async () => {
    const ledger = fixture();
    const piped = await runCliOn(ledger, ['ingest', '--text', '--tool', 'openai', '--session', 's1', '-'], { stdin: 'Tokens used: 1,234 prompt + 567 completion (gpt-4o)\n' });
    expect(piped.code).toBe(0);
    const file = ledger.write('out.txt', 'MiniMax usage: 1,234 input tokens, 567 output tokens (MiniMax-M2)\nMiniMax usage: 1,234 input tokens, x output tokens\n');
    const fromFile = await runCliOn(ledger, ['ingest', '--text', '--tool', 'minimax', file]);
    expect(fromFile.code).toBe(3);
    expect(fromFile.stderr).toContain(`dropped ${file}:2:`);
    expect((await ledger.events()).map((r) => [r.agent, r.model, r.sessionId.startsWith('minimax-text-') || r.sessionId === 's1'])).toEqual(
      expect.arrayContaining([
        ['openai-text', 'gpt-4o', true],
        ['minimax-text', 'MiniMax-M2', true],
      ]),
    );
    const unknown = await runCliOn(ledger, ['ingest', '--text', '--tool', 'claude', '-'], { stdin: '' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('known tools: gemini, openai, minimax');
  });
});
