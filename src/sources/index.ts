import { badArgument } from '../core/errors.js';
import type { Source } from '../core/source.js';
import { claudeCode } from './claude-code/index.js';
import { codexCli } from './codex-cli/index.js';
import { geminiCli } from './gemini-cli/index.js';

/** Every source tokenledger reads. Adding one is its folder and one line here. */
export const SOURCES: readonly Source[] = [claudeCode, codexCli, geminiCli];

/** Resolves an `--agent` value (id or alias, case-insensitive) to a source. */
export function findSource(name: string): Source {
  const wanted = name.trim().toLowerCase();
  const found = SOURCES.find((s) => s.id === wanted || s.aliases.includes(wanted));
  if (found === undefined) {
    const known = SOURCES.map((s) => `${s.id} (${s.aliases.join(', ')})`).join('; ');
    throw badArgument(`unknown agent "${name}"`, `known agents: ${known}`);
  }
  return found;
}

/** The id of the source `name` names (its id or an alias, case-insensitive); undefined: none. */
export function sourceIdOf(name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  return SOURCES.find((s) => s.id === wanted || s.aliases.includes(wanted))?.id;
}

/** Every source by id and aliases, for errors: `claude-code (claude); codex-cli (codex); …`. */
export function knownSources(): string {
  return SOURCES.map((s) => `${s.id} (${s.aliases.join(', ')})`).join('; ');
}

/** The sources sync reads: every one but those the config's `sync.skip` leaves out. */
export function syncedSources(skip: readonly string[] | undefined): readonly Source[] {
  return skip === undefined || skip.length === 0 ? SOURCES : SOURCES.filter((s) => !skip.includes(s.id));
}

/** What other collectors (ingest, text parsers) may name an agent: 1-64 letters, digits, dots, dashes or underscores. */
const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Resolves an `--agent` value to the agent id stored in the ledger: a log source by id or alias,
 * else any agent another collector records under (`ingest`, `gemini-text`, …) as written.
 */
export function agentId(name: string): string {
  const wanted = name.trim().toLowerCase();
  const source = SOURCES.find((s) => s.id === wanted || s.aliases.includes(wanted));
  if (source !== undefined) return source.id;
  if (!AGENT_NAME.test(name.trim())) {
    const known = SOURCES.map((s) => `${s.id} (${s.aliases.join(', ')})`).join('; ');
    throw badArgument(`"${name}" is not an agent name`, `agents read from logs: ${known}; others are named as they were recorded (e.g. ingest, gemini-text)`);
  }
  return name.trim();
}
