/**
 * Claude Code transcript lines as an agent appends them (a user turn, then the assistant's response
 * with its usage), each response with ids of its own: for the watch tests and benchmark.
 */
export interface TranscriptLines {
  sessionId: string;
  cwd: string;
  /** The `n`th exchange: a user line and an assistant line with usage, newline-terminated. */
  exchange(n: number, at: number, usage?: Partial<Usage>): string;
}

export interface Usage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

export function transcriptLines(sessionId: string, cwd = '/home/dev/app', model = 'claude-sonnet-4-5-20250929'): TranscriptLines {
  const base = { parentUuid: null, isSidechain: false, userType: 'external', cwd, sessionId, version: '2.0.31', gitBranch: 'main' };
  return {
    sessionId,
    cwd,
    exchange(n, at, usage = {}) {
      const user = { ...base, type: 'user', message: { role: 'user', content: `step ${n}: run the tests and fix what fails` }, uuid: `${sessionId}-u${n}`, timestamp: new Date(at).toISOString() };
      const assistant = {
        ...base,
        parentUuid: `${sessionId}-u${n}`,
        message: {
          id: `msg_${sessionId}_${n}`,
          type: 'message',
          role: 'assistant',
          model,
          content: [{ type: 'text', text: `Ran the suite for step ${n}; two failures were in the parser and are fixed.` }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 4, cache_creation_input_tokens: 1_200, cache_read_input_tokens: 24_000, output_tokens: 350, service_tier: 'standard', ...usage },
        },
        type: 'assistant',
        uuid: `${sessionId}-a${n}`,
        timestamp: new Date(at + 4_000).toISOString(),
        requestId: `req_${sessionId}_${n}`,
      };
      return `${JSON.stringify(user)}\n${JSON.stringify(assistant)}\n`;
    },
  };
}
