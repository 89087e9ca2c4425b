import { readFileSync } from 'node:fs';
import { diffSnapshots, parseClassAlerts, readSnapshot, type Delta, type Snapshot, type SnapshotDiff } from '../../analytics/snapshot-diff.js';
import { badArgument, describeError, EXIT, TokenledgerError } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import { renderReport, type ReportSection } from '../../sinks/text/text-report.js';
import { styleFor } from '../../sinks/table/style.js';
import { chosenFormat, formatOptions } from '../../reports/format.js';
import { terminalWidth } from '../io.js';
import { formatPct, parseNumber } from '../../app/numbers.js';
import type { Runnable } from './command.js';

/** Reads a summary snapshot file; anything wrong with it is bad input (exit 2), with the reason. */
function load(path: string, flag: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TokenledgerError('BAD_INPUT', `${flag} ${path}: cannot read it (${describeError(error)})`, { hint: 'write snapshots with `tokenledger summary --format json > FILE`' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TokenledgerError('BAD_INPUT', `${flag} ${path}: not valid JSON (${describeError(error)})`, { hint: 'write snapshots with `tokenledger summary --format json > FILE`' });
  }
  return readSnapshot(value, path);
}

const deltaJson = (d: Delta): Record<string, unknown> => ({
  key: d.key,
  baseline_usd: nanosToUsd(d.baselineNanos),
  current_usd: nanosToUsd(d.currentNanos),
  delta_usd: nanosToUsd(d.deltaNanos),
  delta_pct: d.deltaPct,
});

const signed = (nanos: number): string => (nanos > 0 ? `+${formatUsd(nanos)}` : formatUsd(nanos));
const deltaRow = (d: Delta): string[] => [
  d.key,
  formatUsd(d.baselineNanos),
  formatUsd(d.currentNanos),
  signed(d.deltaNanos),
  d.deltaPct === null ? (d.currentNanos > 0 ? 'new' : '') : `${d.deltaPct > 0 ? '+' : ''}${formatPct(d.deltaPct)}`,
];

function sections(diff: SnapshotDiff, baseline: Snapshot, current: Snapshot): ReportSection[] {
  const columns = (what: string) => [
    { header: what, minWidth: 10 },
    { header: 'Baseline', align: 'right' as const },
    { header: 'Current', align: 'right' as const },
    { header: 'Change', align: 'right' as const },
    { header: '%', align: 'right' as const },
  ];
  const alerts = diff.alerts.length === 0 ? ['No alert fired.'] : diff.alerts.map((f) => `ALERT: ${f.message}`);
  return [
    {
      title: `Agent spend: ${baseline.name}${baseline.exportedAt === undefined ? '' : ` (${baseline.exportedAt})`} → ${current.name}${current.exportedAt === undefined ? '' : ` (${current.exportedAt})`}`,
      columns: columns(''),
      rows: [deltaRow({ ...diff.total, key: 'total' })],
    },
    { title: 'By tier', columns: columns('Tier'), rows: diff.byTier.map(deltaRow) },
    { title: 'By model', columns: columns('Model'), rows: diff.byModel.map(deltaRow) },
    { title: 'By token class', columns: columns('Class'), rows: diff.byTokenClass.map(deltaRow) },
    { lines: alerts },
  ];
}

export const diffCommand: Runnable = {
  name: 'diff',
  summary: 'compare two summary snapshots by tier, model and token class; exit 1 when spend grew past a limit',
  configure(command) {
    formatOptions(command)
      .requiredOption('--baseline <file>', 'the earlier snapshot (`tokenledger summary --format json`)')
      .requiredOption('--current <file>', 'the later snapshot')
      .option('--alert-on-pct <pct>', 'exit 1 when the total grew by more than this percentage')
      .option('--alert-on-usd <usd>', 'exit 1 when the total grew by more than this many dollars')
      .option('--alert-on-class-pct <limits>', 'exit 1 when a token class grew by more than its percentage, e.g. cache_write:50,output:20');
  },
  async run(io, _args, flags) {
    const format = chosenFormat(flags);
    const alerts = {
      ...(flags.alertOnPct === undefined ? {} : { pct: parseNumber(flags.alertOnPct, '--alert-on-pct') }),
      ...(flags.alertOnUsd === undefined ? {} : { usd: parseNumber(flags.alertOnUsd, '--alert-on-usd') }),
      ...(flags.alertOnClassPct === undefined ? {} : { classPct: parseClassAlerts(String(flags.alertOnClassPct)) }),
    };
    if (typeof flags.baseline !== 'string' || typeof flags.current !== 'string') throw badArgument('diff needs --baseline FILE and --current FILE');
    const baseline = load(flags.baseline, '--baseline');
    const current = load(flags.current, '--current');
    const diff = diffSnapshots(baseline, current, alerts);
    if (format === 'json') {
      io.stdout.write(
        `${JSON.stringify(
          {
            baseline: { file: baseline.name, exportedAt: baseline.exportedAt ?? null },
            current: { file: current.name, exportedAt: current.exportedAt ?? null },
            total: deltaJson(diff.total),
            byTier: diff.byTier.map(deltaJson),
            byModel: diff.byModel.map(deltaJson),
            byTokenClass: diff.byTokenClass.map(deltaJson),
            alerts: diff.alerts,
            alert: diff.alerts.length > 0,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      io.stdout.write(renderReport(sections(diff, baseline, current), format === 'markdown' ? 'markdown' : 'table', terminalWidth(io), styleFor(io.stdout, io.env)));
    }
    if (diff.alerts.length > 0) io.stderr.write(`alert: ${diff.alerts[0]?.message}\n`);
    return diff.alerts.length > 0 ? EXIT.alert : EXIT.ok;
  },
};
