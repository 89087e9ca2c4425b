import { describe, expect, it } from 'vitest';
import { redactUrls } from './redact-url.js';

describe('redactUrls', () => {
  it('hides userinfo and the query string, keeping scheme, host and path', () => {
    expect(redactUrls('http://user:PASSW0RD@127.0.0.1:9/hook?token=TOK3N')).toBe('http://***@127.0.0.1:9/hook?***');
    expect(redactUrls('https://hooks.example.com/services/x')).toBe('https://hooks.example.com/services/x');
    expect(redactUrls('https://example.com?key=1#frag')).toBe('https://example.com?***');
    expect(redactUrls('https://example.com/a#secret')).toBe('https://example.com/a#***');
  });

  it('hides the secrets of every URL quoted inside a message', () => {
    const message = 'Request cannot be constructed from a URL that includes credentials: ftp://u:SECRET@h/x?t=TOK and http://a:B@c';
    const redacted = redactUrls(message);
    expect(redacted).toBe('Request cannot be constructed from a URL that includes credentials: ftp://***@h/x?*** and http://***@c');
    expect(redacted).not.toMatch(/SECRET|TOK|:B@/);
  });

  it('redacts a URL too broken to parse, and leaves text without URLs alone', () => {
    expect(redactUrls('"http://user:pw@[::1/x?q=1"')).toBe('"http://***@[::1/x?***"');
    expect(redactUrls('http://pw@@host/?q')).toBe('http://***@host/?***');
    expect(redactUrls('no address here: a@b?c')).toBe('no address here: a@b?c');
  });
});
