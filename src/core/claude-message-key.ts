/**
 * The dedup key of one Anthropic Messages response as Claude Code's log keys it: the agent, the
 * message id (`msg_…`) and, when known, the request id (the `request-id` response header, logged
 * as `requestId`). The gateway builds the same key for the same response, so a request it metered
 * and a transcript line that also holds it count once.
 */
export function claudeMessageKey(messageId: string, requestId: string | undefined): string {
  return requestId === undefined ? `claude-code:${messageId}` : `claude-code:${messageId}:${requestId}`;
}
