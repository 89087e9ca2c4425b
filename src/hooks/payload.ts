import { TokenledgerError } from '../core/errors.js';

/**
 * What Claude Code sends a command hook on stdin, as far as tokenledger reads it. Every event
 * carries the session, its transcript and the working folder; the rest is ignored.
 */
export interface HookPayload {
  sessionId: string;
  /** Absolute path of the session's JSONL transcript (it may not exist yet). */
  transcriptPath: string;
  cwd: string | undefined;
  /** `Stop`, `UserPromptSubmit`, `PreToolUse`… when Claude Code names it. */
  event: string | undefined;
}

/** Reads the hook's stdin; a payload tokenledger cannot use is a BAD_INPUT error naming the field. */
export function parseHookPayload(text: string): HookPayload {
  if (text.trim() === '') throw badPayload('standard input is empty (Claude Code sends the event as JSON)');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badPayload(`standard input is not JSON (it starts ${JSON.stringify(text.trim().slice(0, 40))})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badPayload('standard input is not a JSON object');
  const o = value as Record<string, unknown>;
  const field = (key: string, required: boolean): string | undefined => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) throw badPayload(`field "${key}" is missing`);
      return undefined;
    }
    if (typeof v !== 'string' || v === '') throw badPayload(`field "${key}" must be a non-empty string`);
    return v;
  };
  return {
    sessionId: field('session_id', true) as string,
    transcriptPath: field('transcript_path', true) as string,
    cwd: field('cwd', false),
    event: field('hook_event_name', false),
  };
}

function badPayload(reason: string): TokenledgerError {
  return new TokenledgerError('BAD_INPUT', `unusable hook payload: ${reason}`, {
    hint: 'tokenledger hook stop|guard are run by Claude Code, which writes the event JSON to their standard input',
  });
}
