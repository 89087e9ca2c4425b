import { EXIT, type ExitCode } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import { csvDocument } from '../../sinks/csv/csv.js';
import { formatTokens } from '../../sinks/table/format.js';
import { SESSION_REPORT } from '../../reports/session.js';
import { readSessionDetail, sessionDetailOptions } from '../../reports/session-detail.js';
import { runAnalysis } from '../analysis.js';
import type { Io } from '../io.js';
import { printAnswer } from '../print-answer.js';
import { reportContextOf } from '../report-context.js';

/** `tokenledger session --session-id ID | --latest`: one session's messages, costliest first. */
export async function runSessionDetail(io: Io, flags: Record<string, unknown>): Promise<ExitCode> {
  return runAnalysis(
    'session',
    flags,
    io,
    (_loaded, clock) => sessionDetailOptions(flags, clock, io.now()),
    async (a) => {
      const ctx = reportContextOf(a.ws);
      if (a.format === 'json') return printAnswer(io, SESSION_REPORT, ctx, flags, []);
      const { info, project, detail: d, options: o } = await readSessionDetail(ctx, flags);
      if (a.format === 'csv') {
        io.stdout.write(
          csvDocument(
            ['at', 'model', 'input_tokens', 'output_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cache_read_tokens', 'cost_usd', 'pct_of_session', 'sidechain', 'service_tier'],
            d.top.map((e) => [
              new Date(e.occurredAt).toISOString(),
              e.model,
              e.inputTokens,
              e.outputTokens,
              e.cacheWrite5mTokens,
              e.cacheWrite1hTokens,
              e.cacheReadTokens,
              nanosToUsd(e.costNanos),
              e.pctOfSession,
              e.sidechain ? 'yes' : 'no',
              e.serviceTier ?? 'standard',
            ]),
          ),
        );
        return EXIT.ok;
      }
      const p = d.percentiles;
      a.print([
        {
          title: `Session ${info.sessionId} (${info.agent}, ${project}): ${d.messages} messages, ${formatUsd(d.totalNanos)}`,
          lines: [
            `${a.clock.stamp(info.firstActivity)} → ${a.clock.stamp(info.lastActivity)} (${a.clock.timeZone})${o.since === undefined ? '' : `; messages since ${a.clock.stamp(o.since)}`}`,
            p === undefined
              ? 'No messages.'
              : `Message cost: p50 ${formatUsd(p.p50)}, p90 ${formatUsd(p.p90)}, p99 ${formatUsd(p.p99)}${d.unpriced > 0 ? `; ${d.unpriced} messages of models without a price count $0` : ''}`,
            ...d.byServiceTier.map((t) => `Served ${t.serviceTier === 'fast' ? 'in fast mode' : `at the ${t.serviceTier} tier`}: ${t.messages} messages, ${formatUsd(t.costNanos)}`),
          ],
        },
        ...(d.top.length === 0
          ? []
          : [
              {
                title: `The ${d.top.length} costliest`,
                columns: [
                  { header: 'Time' },
                  { header: 'Model', minWidth: 10 },
                  { header: 'Input', align: 'right' as const, priority: 40 },
                  { header: 'Output', align: 'right' as const, priority: 45 },
                  { header: 'Cache write', align: 'right' as const, priority: 50 },
                  { header: 'Cache read', align: 'right' as const, priority: 42 },
                  { header: 'Cost', align: 'right' as const },
                  { header: '% of session', align: 'right' as const },
                ],
                rows: d.top.map((e) => [
                  a.clock.stamp(e.occurredAt),
                  `${e.model}${e.serviceTier === undefined ? '' : ` [${e.serviceTier}]`}${e.sidechain ? ' (subagent)' : ''}`,
                  formatTokens(e.inputTokens),
                  formatTokens(e.outputTokens),
                  `${formatTokens(e.cacheWrite5mTokens + e.cacheWrite1hTokens)}${e.cacheWrite1hTokens > 0 ? ` (1h ${formatTokens(e.cacheWrite1hTokens)})` : ''}`,
                  formatTokens(e.cacheReadTokens),
                  `${formatUsd(e.costNanos)}${e.unpriced ? '*' : ''}`,
                  `${e.pctOfSession.toFixed(1)}%`,
                ]),
              },
            ]),
      ]);
      return EXIT.ok;
    },
  );
}
