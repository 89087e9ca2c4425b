/**
 * The tier of a model is its family, the unit people budget and compare by:
 * - Claude: `opus`, `sonnet`, `haiku` (any generation, any spelling: `claude-3-5-sonnet`,
 *   `anthropic/claude-sonnet-4-5`, `us.anthropic.claude-opus-4-1-v1:0`), else the word after `claude-`;
 * - OpenAI: `gpt-<major>` (`gpt-5-codex` and `gpt-5-mini` are `gpt-5`, `gpt-4o` and `gpt-4.1` are
 *   `gpt-4`), and `o1`, `o3`, `o4` for the reasoning series;
 * - Google: `gemini` (`gemma` for the open models);
 * - anything else: the first word of its name (`grok-4` → `grok`, `deepseek-chat` → `deepseek`),
 *   or `unknown` when the name has none.
 */
const RULES: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  [/claude-(?:[\d.-]+-)?(opus|sonnet|haiku)\b/, (m) => m[1] as string],
  [/claude-([a-z]+)/, (m) => m[1] as string],
  [/(?:^|[/.])gpt-(\d+)/, (m) => `gpt-${m[1]}`],
  [/(?:^|[/.])(o\d+)(?:-|$)/, (m) => m[1] as string],
  [/gemini/, () => 'gemini'],
  [/gemma/, () => 'gemma'],
];

export function tierOf(model: string): string {
  const name = model.trim().toLowerCase();
  for (const [pattern, tier] of RULES) {
    const match = pattern.exec(name);
    if (match !== null) return tier(match);
  }
  // Past any provider prefix (`openrouter/`, `us.meta.`), the first word.
  const bare = name.slice(name.lastIndexOf('/') + 1);
  return /^(?:[a-z]+\.)*([a-z]+)/.exec(bare)?.[1] ?? 'unknown';
}
