import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, type ExitCode } from '../../core/errors.js';
import { DEMO_DAYS, writeDemoSample } from '../../sample/demo-sample.js';
import type { Io } from '../io.js';
import { onInterrupt } from '../on-interrupt.js';
import type { ReportFlags } from '../../reports/report-flags.js';
import type { CommandSpec, Runnable } from './command.js';
import { PERIOD_COMMANDS } from './period-report.js';
import { sessionCommand } from './session.js';

export const demoCommand: CommandSpec = {
  name: 'demo',
  summary: 'write two weeks of sample agent logs to a temporary folder and report on them',
  configure(command) {
    command.option('--keep', 'keep the sample folder (logs, ledger) instead of deleting it').option('-j, --json', 'print the daily report as JSON');
  },
  async run(io: Io, _args, flags): Promise<ExitCode> {
    const dir = mkdtempSync(join(tmpdir(), 'tokenledger-demo-'));
    const keep = flags.keep === true;
    // Ctrl-C mid-demo removes the sample too (unless --keep), before the signal ends the process.
    const stopWatching = onInterrupt(() => {
      if (!keep) rmSync(dir, { recursive: true, force: true });
      else io.stderr.write(`\ninterrupted: the sample stays in ${dir}\n`);
    });
    try {
      const corpus = writeDemoSample(dir, io.now());
      // The demo reads only its own sample: its own roots, ledger and (absent) config.
      const demoIo: Io = {
        ...io,
        env: {
          ...io.env,
          CLAUDE_CONFIG_DIR: corpus.claudeRoot,
          CODEX_HOME: corpus.codexRoot,
          GEMINI_DATA_DIR: corpus.geminiRoot,
          XDG_CONFIG_HOME: join(dir, 'config'),
          TOKENLEDGER_CONFIG: undefined,
        },
      };
      const report: ReportFlags = { db: join(dir, 'ledger.db'), order: 'asc', sync: true, last: String(DEMO_DAYS), ...(flags.json === true ? { json: true } : {}) };
      const daily = PERIOD_COMMANDS.find((c) => c.name === 'daily') as Runnable;
      if (flags.json !== true) {
        io.stdout.write(`Sample logs of Claude Code, Codex CLI and Gemini CLI (${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.sessions} sessions) in ${dir}\n\n`);
      }
      let captured = '';
      const dailyIo: Io = flags.json === true ? { ...demoIo, stdout: { write: (text: string) => (captured += text) } } : demoIo;
      let exit = await daily.run(dailyIo, [], report as unknown as Record<string, unknown>);
      if (flags.json === true && captured !== '') {
        // The daily JSON, with where its sample is (or was, when it is deleted on return).
        const body = { ...(JSON.parse(captured) as Record<string, unknown>), sample: { folder: dir, kept: keep } };
        io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
        if (keep) io.stderr.write(`The sample stays in ${dir}.\n`);
      } else {
        io.stdout.write('\nThe five most recent sessions:\n');
        exit = Math.max(exit, await sessionCommand.run(demoIo, [], { ...report, sync: false, last: '5' } as unknown as Record<string, unknown>)) as ExitCode;
        io.stdout.write(
          `\n${keep ? `The sample stays in ${dir}.` : 'The sample folder has been deleted.'} Run \`tokenledger\` to report on your own agents' logs, \`tokenledger detect\` to see where they are.\n`,
        );
      }
      return exit === EXIT.ok ? EXIT.ok : exit;
    } finally {
      stopWatching();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  },
};
