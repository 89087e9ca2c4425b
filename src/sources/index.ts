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
