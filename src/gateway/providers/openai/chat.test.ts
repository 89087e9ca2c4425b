import { describe, expect, it } from 'vitest';
import { carriesUsage } from './chat.js';

describe('carriesUsage', () => {
  it('finds a usage member that is not null, compact or spaced; null usage, no usage, or "usage" as text is not one', () => {
    expect(carriesUsage('{"id":"c","choices":[],"usage":{"prompt_tokens":3}}')).toBe(true);
    expect(carriesUsage('{"id":"c", "usage" : {"prompt_tokens": 3}}')).toBe(true);
    expect(carriesUsage('{"id":"c","choices":[{"delta":{"content":"hi"}}],"usage":null}')).toBe(false);
    expect(carriesUsage('{"id":"c","usage": null}')).toBe(false);
    expect(carriesUsage('{"id":"c","choices":[{"delta":{"content":"say \\"usage\\": 5"}}]}')).toBe(false);
    expect(carriesUsage('{"object":"usage","usage":null}')).toBe(false);
    expect(carriesUsage('{"id":"c","choices":[]}')).toBe(false);
    expect(carriesUsage('{"a":{"usage":null},"usage":{"total_tokens":1}}')).toBe(true);
  });
});
