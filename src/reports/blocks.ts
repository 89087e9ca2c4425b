import { activeOutlook, maxEarlierTokens, recentBlocks, type ActiveOutlook, type UsageBlock } from '../analytics/blocks.js';
import { readOfficialLimits, type OfficialLimit } from '../analytics/official-limits.js';
import { readProviderBlocks } from '../analytics/provider-blocks.js';
import { refuseNumericNamespace } from '../app/namespace.js';
import { badArgument, EXIT } from '../core/errors.js';
import type { LedgerReader } from '../ledger/ledger.js';
import { agentId } from '../sources/index.js';
import { analysisOptions, analysisScope } from './analysis-scope.js';
import { blocksJson } from './blocks-json.js';
import { machineOption, userOption } from './options.js';
import { recorderFilter, type RecorderFilter } from './recorder-filter.js';
import type { JsonReport } from './report.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** `--recent`: blocks that started within this long before now. */
const RECENT_MS = 3 * DAY_MS;
const MAX_SESSION_HOURS = 168;

export interface BlocksOptions {
  sessionLengthMs: number;
  active: boolean;
  recent: boolean;
  /** A token count, `max` (the largest earlier block), or none. */
  tokenLimit?: number | 'max';
  agents?: string[];
  /** `--user` and `--machine`. */
  who?: RecorderFilter;
  /** Only this provider's blocks (`--provider`). */
  provider?: string;
}

/** `--session-length`: hours, in whole quarter hours, above 0 and at most a week. */
export function parseSessionLength(text: unknown): number {
  const hours = typeof text === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(hours > 0 && hours <= MAX_SESSION_HOURS && Number.isInteger(hours * 4))) {
    throw badArgument(`--session-length expects hours above 0 and at most ${MAX_SESSION_HOURS}, in whole quarter hours (5, 2.5, 0.75), got "${String(text)}"`);
  }
  return hours * HOUR_MS;
}

export function blocksOptions(flags: Record<string, unknown>): BlocksOptions {
  refuseNumericNamespace(flags.namespace, '--session-length');
  const limit = flags.tokenLimit as string | undefined;
  let tokenLimit: number | 'max' | undefined;
  if (limit !== undefined) {
    if (limit.trim().toLowerCase() === 'max') tokenLimit = 'max';
    else if (/^\s*\d{1,15}\s*$/.test(limit) && Number(limit) > 0) tokenLimit = Number(limit);
    else throw badArgument(`--token-limit expects a positive whole number of tokens or "max", got "${limit}"`);
  }
  const agents = (flags.agent as string | undefined)
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(agentId);
  const provider = (flags.provider as string | undefined)?.trim().toLowerCase();
  if (provider === '') throw badArgument('--provider expects a provider name (anthropic, openai, google)');
  return {
    sessionLengthMs: parseSessionLength((flags.sessionLength as string | undefined) ?? '5'),
    active: flags.active === true,
    recent: flags.recent === true,
    ...(tokenLimit === undefined ? {} : { tokenLimit }),
    ...(agents === undefined ? {} : { agents }),
    who: recorderFilter(flags),
    ...(provider === undefined ? {} : { provider }),
  };
}

/** One provider's blocks: each provider meters its own window. */
export interface ProviderBlocksResult {
  provider: string;
  /** The blocks shown, oldest first. */
  blocks: UsageBlock[];
  active: ActiveOutlook | undefined;
  /** The limit in force (undefined: none given, or `max` without an earlier block of this provider). */
  limitTokens: number | undefined;
}

export interface BlocksResult {
  options: BlocksOptions;
  now: number;
  /** Providers in name order; those with no block to show left out. */
  providers: ProviderBlocksResult[];
  limits: OfficialLimit[];
}

/** Reads the namespace's blocks, per provider, and the agents' official limit readings. */
export async function computeBlocks(reader: Pick<LedgerReader, 'usage' | 'latestRateLimits'>, namespace: string, now: number, options: BlocksOptions): Promise<BlocksResult> {
  // Only the active or recent blocks, and no `max` to find: the history before an anchor is not read.
  const keepFrom = options.tokenLimit === 'max' ? undefined : options.active ? now : options.recent ? now - RECENT_MS : undefined;
  const filter = { namespace, ...options.who, ...(options.agents === undefined ? {} : { agents: options.agents }), ...(options.provider === undefined ? {} : { providers: [options.provider] }) };
  const providers = (await readProviderBlocks(reader, filter, options.sessionLengthMs, now, keepFrom)).map(({ provider, blocks: all }) => {
    const active = activeOutlook(all, now);
    const limitTokens = options.tokenLimit === 'max' ? maxEarlierTokens(all) : options.tokenLimit;
    const blocks = options.active ? (active === undefined ? [] : [active.block]) : options.recent ? recentBlocks(all, now, RECENT_MS) : all;
    return { provider, blocks, active, limitTokens };
  });
  return { options, now, providers: providers.filter((p) => p.blocks.length > 0), limits: await readOfficialLimits(reader, now, options.agents) };
}

/** `blocks`: usage in 5-hour blocks per provider, the active block's burn rate and projection, the official limits. */
export const BLOCKS_REPORT: JsonReport = {
  name: 'blocks',
  configure(command) {
    analysisOptions(command)
      .option('--active', 'only the active block')
      .option('--recent', 'only blocks that started in the last 3 days (and the active one)')
      .option('-t, --token-limit <tokens>', 'a token count, or "max" (the largest earlier block): each block\u2019s use of it, and a warning when the active block is projected past it')
      .option('--session-length <hours>', 'block length in hours', '5')
      .option('-a, --agent <names>', 'only these agents, comma-separated (claude-code, codex-cli, gemini-cli or claude, codex, gemini)')
      .addOption(userOption())
      .addOption(machineOption())
      .option('--provider <name>', 'only this provider\u2019s blocks (anthropic, openai, google); each provider\u2019s blocks are cut apart by default');
  },
  async answer(ctx, flags) {
    const options = blocksOptions(flags);
    const scope = await analysisScope(ctx, 'blocks', flags);
    return { document: blocksJson(await computeBlocks(ctx.ledger, scope.namespace, scope.now, options), scope.namespace), exit: EXIT.ok };
  },
};
