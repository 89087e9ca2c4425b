import { describeError, EXIT, TokenledgerError } from '../../core/errors.js';
import { terminalText } from '../../core/terminal-text.js';
import { recordTranscript } from '../../hooks/record-transcript.js';
import { ledgerLocation } from '../../config/locations.js';
import { withBusyTimeout } from '../../ledger/location.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { resolveRecorder } from '../../app/recorder.js';
import type { Ledger } from '../../ledger/ledger.js';
import { PriceOverrides } from '../../pricing/overrides.js';
import { Pricer } from '../../pricing/pricer.js';
import { claudeCode } from '../../sources/claude-code/index.js';
import { FIELD_NAMES, fieldValues, STATUS_FIELDS } from '../../statusline/fields.js';
import { readStatusFigures } from '../../statusline/figures.js';
import { readPlanValues } from '../../analytics/read-plan-values.js';
import { parseStatusPayload, type StatusPayload } from '../../statusline/payload.js';
import { DEFAULT_FORMAT, parseTemplate, renderTemplate } from '../../statusline/template.js';
import { readStdin } from '../io.js';
import { resolveNamespace } from '../../app/namespace.js';
import { ledgerOptions } from '../../reports/options.js';
import { guardOptions, loadSettings, recordTarget } from '../workspace.js';
import type { Runnable } from './command.js';

/**
 * How long the status line's write waits for another writer: Claude Code waits for the line, and
 * the figures are read whether or not this turn's usage could be recorded.
 */
const BUSY_TIMEOUT_MS = 250;

/** The provider Claude Code's usage is recorded under: its block is the one the line shows. */
const CLAUDE_PROVIDER = 'anthropic';

interface StatuslineFlags {
  db?: string;
  config?: string;
  namespace?: string;
  format?: string;
}

/** The line when the ledger cannot be read: the model, and why there are no figures. */
function fallbackLine(payload: StatusPayload | undefined, error: unknown): string {
  const locked = error instanceof TokenledgerError && error.code === 'LEDGER_LOCKED';
  const model = payload?.model === undefined ? '' : `${terminalText(payload.model)} · `;
  return `${model}tokenledger: ${locked ? 'ledger busy' : 'ledger unavailable (run tokenledger detect)'}`;
}

export const statuslineCommand: Runnable = {
  name: 'statusline',
  summary: "Claude Code status line: one line with the model, this session's, today's and the active block's cost, burn rate, context and limits",
  configure(command) {
    ledgerOptions(command)
      .option('--format <template>', `the line, with fields in braces and optional parts in [..] (default "${DEFAULT_FORMAT}")`)
      .addHelpText(
        'after',
        `\nFields:\n${STATUS_FIELDS.map((f) => `  {${f.name}}  ${f.about}`).join('\n')}\n\nReads Claude Code's status line JSON on stdin; records the session's new usage first. NO_COLOR turns colours off.\nInstall: tokenledger hooks install --statusline\n`,
      );
  },
  async run(io, _args, flags: StatuslineFlags) {
    // A bad template is the user's to fix: said before anything is read.
    const template = parseTemplate(flags.format ?? DEFAULT_FORMAT, FIELD_NAMES);
    const payload = parseStatusPayload(await readStdin(io));
    let ledger: Ledger | undefined;
    let line: string;
    try {
      if (payload === undefined) throw new TokenledgerError('BAD_INPUT', 'the status line payload is not a JSON object');
      const loaded = loadSettings(flags, io);
      const given = ledgerLocation(flags.db, io.env, loaded.config.ledger);
      // A status line waits far less for a busy SQLite writer than a sync does.
      const location = withBusyTimeout(given, BUSY_TIMEOUT_MS);
      // The status line is one line on stdout: a note about the machine id would only be noise here.
      const recorder = resolveRecorder(loaded.config.user, io.env, () => {});
      ledger = await openLedger(location, { recorder });
      const ws = { io, loaded, location, ledger, pricer: new Pricer(new PriceOverrides(loaded.config.prices)), recorder };
      const { target } = recordTarget(ws, flags.namespace);
      // Unless the config leaves Claude Code's logs out of sync (`sync.skip`).
      if (payload.transcriptPath !== undefined && loaded.config.sync?.skip.includes(claudeCode.id) !== true) {
        try {
          // Only this session's transcript, as `hook stop` records it; budget crossings are kept in the ledger.
          await recordTranscript({ ...target, source: claudeCode, transcriptPath: payload.transcriptPath, env: io.env });
        } catch {
          // Busy, or no transcript yet: the figures recorded so far are still shown.
        }
      }
      const clock = guardOptions(ws).clock;
      const now = io.now();
      const namespace = resolveNamespace(flags.namespace, 'sync', io.env, loaded.config.namespace);
      const figures = await readStatusFigures(ledger, { namespace, now, clock, sessionId: payload.sessionId, provider: CLAUDE_PROVIDER });
      const plans = loaded.config.plans?.filter((plan) => plan.provider === CLAUDE_PROVIDER);
      if (plans !== undefined && plans.length > 0) figures.plan = (await readPlanValues(ledger, namespace, plans, clock, now))[0];
      line = renderTemplate(template, fieldValues({ payload, figures, clock, color: io.env.NO_COLOR === undefined || io.env.NO_COLOR === '' }));
    } catch (error) {
      line = fallbackLine(payload, error);
      if (io.env.TOKENLEDGER_DEBUG !== undefined) io.stderr.write(`tokenledger statusline: ${terminalText(describeError(error))}\n`);
    } finally {
      await ledger?.close().catch(() => {});
    }
    io.stdout.write(`${line}\n`);
    return EXIT.ok;
  },
};
