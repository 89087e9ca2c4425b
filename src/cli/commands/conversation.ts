import { conversationView } from '../../analytics/conversation-view.js';
import { machineOption, userOption } from '../../reports/options.js';
import { EXIT } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import { runAnalysis } from '../analysis.js';
import { analysisOptions } from '../../reports/analysis-scope.js';
import { parseInstant } from '../../app/instant.js';
import { parseCount } from '../../app/numbers.js';
import type { Runnable } from './command.js';
import { CONVERSATION_GAP_MS } from '../../reports/summary.js';

export const conversationCommand: Runnable = {
  name: 'conversation',
  summary: 'one line per conversation (a stretch of a session without a 30-minute pause): started, session, messages, top model, cost',
  configure(command) {
    analysisOptions(command)
      .addOption(userOption())
      .addOption(machineOption())
      .option('--limit <n>', 'how many conversations, most recently started first', '50')
      .option('-s, --since <when>', 'only conversations since: a duration back (30d), a date or an ISO time');
  },
  async run(io, _args, flags) {
    return runAnalysis(
      'conversation',
      flags,
      io,
      (_loaded, clock) => ({
        limit: parseCount(flags.limit ?? '50', '--limit', 1, 100_000),
        since: flags.since === undefined ? undefined : parseInstant(String(flags.since), '--since', io.now(), clock),
      }),
      async (a, { limit, since }) => {
        const rows = await a.ws.ledger.conversations({ namespace: a.namespace, ...(since === undefined ? {} : { since }), ...a.who }, CONVERSATION_GAP_MS, limit);
        const list = conversationView(rows);
        if (a.format === 'json') {
          a.json({
            namespace: a.namespace,
            conversations: list.map((c) => ({
              startedAt: new Date(c.startedAt).toISOString(),
              endedAt: new Date(c.endedAt).toISOString(),
              sessionId: c.sessionId,
              agent: c.agent,
              project: c.project,
              messages: c.messages,
              topModel: c.topModel,
              models: c.models,
              cost_usd: nanosToUsd(c.costNanos),
            })),
          });
          return EXIT.ok;
        }
        if (list.length === 0) {
          a.print([{ lines: ['No conversations found.'] }]);
          return EXIT.ok;
        }
        a.print([
          {
            title: `Conversations, most recent first (${a.clock.timeZone}; a pause of 30 minutes or more starts a new one)`,
            columns: [
              { header: 'Started' },
              { header: 'Minutes', align: 'right', priority: 40 },
              { header: 'Session', minWidth: 10 },
              { header: 'Agent', priority: 30 },
              { header: 'Project', minWidth: 10, cut: 'start', priority: 35 },
              { header: 'Messages', align: 'right' },
              { header: 'Top model', minWidth: 10 },
              { header: 'Cost', align: 'right' },
            ],
            rows: list.map((c) => [
              a.clock.stamp(c.startedAt),
              String(Math.round((c.endedAt - c.startedAt) / 60_000)),
              c.sessionId,
              c.agent,
              c.project,
              String(c.messages),
              c.models > 1 ? `${c.topModel} +${c.models - 1}` : c.topModel,
              formatUsd(c.costNanos),
            ]),
          },
        ]);
        return EXIT.ok;
      },
    );
  },
};
