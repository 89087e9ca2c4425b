import { EXIT } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import type { PeerSpend } from '../../ledger/ledger.js';
import { FUTURE_SLACK_MS } from '../../core/occurred-at.js';
import { renderReport, type ReportSection } from '../../sinks/text/text-report.js';
import { styleFor } from '../../sinks/table/style.js';
import { formatTokens } from '../../sinks/table/format.js';
import { chosenFormat, formatOptions } from '../../reports/format.js';
import { terminalWidth } from '../io.js';
import { resolveNamespace } from '../../app/namespace.js';
import { ledgerOptions } from '../../reports/options.js';
import { withWorkspace } from '../workspace.js';
import type { Runnable } from './command.js';

const HOUR = 3_600_000;
/** The rolling windows, shortest first; each ends now. */
export const WINDOWS = [
  { name: '1h', ms: HOUR },
  { name: '24h', ms: 24 * HOUR },
  { name: '7d', ms: 7 * 24 * HOUR },
] as const;

type WindowName = (typeof WINDOWS)[number]['name'];

interface Figures {
  usdNanos: number;
  tokensUsed: number;
  tasks: number;
}

interface PeerRow {
  peerId: string;
  lastAt: number;
  windows: Record<WindowName, Figures>;
}

const none = (): Figures => ({ usdNanos: 0, tokensUsed: 0, tasks: 0 });
const noWindows = (): Record<WindowName, Figures> => ({ '1h': none(), '24h': none(), '7d': none() });

/** A row per peer with spend in the longest window, costliest (over it) first. */
function peerRows(spends: Record<WindowName, PeerSpend[]>): { peers: PeerRow[]; totals: Record<WindowName, Figures> } {
  const byPeer = new Map<string, PeerRow>();
  const totals = noWindows();
  for (const { name } of WINDOWS) {
    for (const s of spends[name]) {
      let row = byPeer.get(s.peerId);
      if (row === undefined) byPeer.set(s.peerId, (row = { peerId: s.peerId, lastAt: s.lastAt, windows: noWindows() }));
      row.lastAt = Math.max(row.lastAt, s.lastAt);
      row.windows[name] = { usdNanos: s.usdNanos, tokensUsed: s.tokensUsed, tasks: s.tasks };
      totals[name].usdNanos += s.usdNanos;
      totals[name].tokensUsed += s.tokensUsed;
      totals[name].tasks += s.tasks;
    }
  }
  const peers = [...byPeer.values()].sort((a, b) => b.windows['7d'].usdNanos - a.windows['7d'].usdNanos || a.peerId.localeCompare(b.peerId));
  return { peers, totals };
}

const figuresJson = (f: Figures) => ({ usd: nanosToUsd(f.usdNanos), tokens: f.tokensUsed, tasks: f.tasks });
const windowsJson = (w: Record<WindowName, Figures>) => Object.fromEntries(WINDOWS.map(({ name }) => [name, figuresJson(w[name])]));

/** `45s ago`, `12m ago`, `3h ago`, `2d ago`. */
function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86_400)}d ago`;
}

function sections(peers: PeerRow[], totals: Record<WindowName, Figures>, namespace: string, now: number): ReportSection[] {
  const names = WINDOWS.map((w) => w.name);
  const cells = (w: Record<WindowName, Figures>): string[] => [
    ...names.map((n) => formatUsd(w[n].usdNanos)),
    ...names.map((n) => formatTokens(w[n].tokensUsed)),
    ...names.map((n) => String(w[n].tasks)),
  ];
  return [
    {
      title: `Federated spend by peer (namespace ${namespace}, rolling windows ending now)`,
      columns: [
        { header: 'Peer', minWidth: 8 },
        ...names.map((n) => ({ header: `Spend ${n}`, align: 'right' as const, priority: 100 })),
        ...names.map((n, i) => ({ header: `Tokens ${n}`, align: 'right' as const, priority: 40 + i * 10 })),
        ...names.map((n, i) => ({ header: `Tasks ${n}`, align: 'right' as const, priority: 35 + i * 10 })),
        { header: 'Last report', align: 'right', priority: 20 },
      ],
      rows: peers.map((p) => [p.peerId, ...cells(p.windows), age(now - p.lastAt)]),
      footer: [['Total', ...cells(totals), '']],
    },
  ];
}

export const federationCommand: Runnable = {
  name: 'federation',
  summary: 'spend that federated peers reported (ingest federation_spend events), per peer over the last hour, day and week',
  configure(command) {
    // Peers' spend arrives only through `ingest`, never from agent logs, so there is nothing to sync;
    // `--no-sync` is still taken, as by every other report, so scripts can pass it to all of them.
    formatOptions(ledgerOptions(command)).option('--no-sync', 'accepted as by every report; federation never reads agent logs, only what peers ingested');
  },
  async run(io, _args, flags) {
    const format = chosenFormat(flags);
    return withWorkspace(
      flags,
      io,
      (loaded) => resolveNamespace(flags.namespace as string | undefined, 'federation', io.env, loaded.config.namespace),
      async (ws, namespace) => {
        const now = io.now();
        // Reports stamped a little ahead (a peer's clock runs fast) are counted as now.
        const until = now + FUTURE_SLACK_MS + 1;
        const lists = await Promise.all(WINDOWS.map((w) => ws.ledger.peerSpend(namespace, now - w.ms, until)));
        const { peers, totals } = peerRows(Object.fromEntries(WINDOWS.map((w, i) => [w.name, lists[i] ?? []])) as Record<WindowName, PeerSpend[]>);
        if (format === 'json') {
          const body = {
            namespace,
            generatedAt: new Date(now).toISOString(),
            windows: WINDOWS.map((w) => w.name),
            peers: peers.map((p) => ({ peerId: p.peerId, lastReportAt: new Date(p.lastAt).toISOString(), windows: windowsJson(p.windows) })),
            totals: windowsJson(totals),
          };
          io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
        } else if (peers.length === 0) {
          io.stdout.write(`No federated spend in the last 7 days (namespace ${namespace}); peers report it with \`tokenledger ingest\` (type "federation_spend").\n`);
        } else {
          io.stdout.write(renderReport(sections(peers, totals, namespace, now), format === 'markdown' ? 'markdown' : 'table', terminalWidth(io), styleFor(io.stdout, io.env)));
        }
        return EXIT.ok;
      },
    );
  },
};
