/**
 * One turn of a Claude Code transcript as JSONL: the user's prompt and the assistant's answer
 * with its usage. For tests and the hook benchmark, which append turns to a live transcript.
 */
export function sampleTurn(options: { sessionId: string; cwd: string; turn: number; at: number; model?: string; cacheReadTokens?: number }): string {
  const { sessionId, cwd, turn } = options;
  const common = { parentUuid: null, isSidechain: false, userType: 'external', cwd, sessionId, version: '2.0.31', gitBranch: 'main' };
  const user = { ...common, type: 'user', message: { role: 'user', content: `step ${turn}: go on` }, uuid: `u-${sessionId}-${turn}`, timestamp: new Date(options.at).toISOString() };
  const assistant = {
    ...common,
    message: {
      id: `msg_${sessionId}_${turn}`,
      type: 'message',
      role: 'assistant',
      model: options.model ?? 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: `Done with step ${turn}.` }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 12, cache_creation_input_tokens: 800, cache_read_input_tokens: options.cacheReadTokens ?? 40_000, output_tokens: 350, service_tier: 'standard' },
    },
    type: 'assistant',
    uuid: `a-${sessionId}-${turn}`,
    timestamp: new Date(options.at + 4000).toISOString(),
    requestId: `req_${sessionId}_${turn}`,
  };
  return `${JSON.stringify(user)}\n${JSON.stringify(assistant)}\n`;
}
