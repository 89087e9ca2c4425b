import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../../core/errors.js';
import { parseWebhookHeaders } from './headers.js';

function rejection(text: string): TokenledgerError {
  try {
    parseWebhookHeaders(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenledgerError);
    expect((error as TokenledgerError).code).toBe('BAD_ARGUMENT');
    expect((error as TokenledgerError).message).toContain('EXPORT_WEBHOOK_HEADER');
    return error as TokenledgerError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseWebhookHeaders', () => {
  it('gives no headers for an absent or blank variable', () => {
    expect(parseWebhookHeaders(undefined)).toEqual({});
    expect(parseWebhookHeaders('')).toEqual({});
    expect(parseWebhookHeaders('   ')).toEqual({});
  });

  it('splits entries on commas and trims names and values', () => {
    expect(parseWebhookHeaders('  Authorization :  Bearer abc123 ,X-Team: infra,x-empty:')).toEqual({
      Authorization: 'Bearer abc123',
      'X-Team': 'infra',
      'x-empty': '',
    });
  });

  it('keeps a comma that is not followed by a header name and colon inside the value', () => {
    expect(parseWebhookHeaders('Accept: application/json, text/plain, X-Id: 7')).toEqual({ Accept: 'application/json, text/plain', 'X-Id': '7' });
    expect(parseWebhookHeaders('Authorization: Bearer a,b')).toEqual({ Authorization: 'Bearer a,b' });
    // Text after a comma with no colon cannot be told from a value, so it stays one.
    expect(parseWebhookHeaders('X-Team: infra, ops')).toEqual({ 'X-Team': 'infra, ops' });
    // Only the first colon of an entry separates; URLs and Basic credentials keep theirs.
    expect(parseWebhookHeaders('X-Callback: https://example.com:8443/x')).toEqual({ 'X-Callback': 'https://example.com:8443/x' });
  });

  it('rejects an entry without a colon, naming the entry but not its secret', () => {
    const error = rejection('Bearersecrettoken, X-Team: infra');
    expect(error.message).toContain('entry 1');
    expect(error.message).not.toContain('secrettoken');
    expect(error.hint).toContain('Name: value');
  });

  it('rejects header names that are not HTTP tokens', () => {
    expect(rejection('Bad Name: x').message).toContain('"Bad Name"');
    expect(rejection(': no name').message).toContain('entry 1');
    expect(rejection('X-Ok: 1, X(bad): 2').message).toContain('"X(bad)"');
    expect(rejection('X-Ok: 1, Two Words: 2').message).toContain('entry 2');
  });

  it('rejects headers the HTTP client owns, names given twice, and line breaks', () => {
    expect(rejection('Content-Length: 5').message).toContain('Content-Length');
    expect(rejection('Host: example.com').message).toContain('Host');
    expect(rejection('X-A: 1, x-a: 2').message).toContain('given twice');
    expect(rejection('X-A: 1\r\nX-Injected: 2').message).toContain('line break');
  });

  it('rejects values an HTTP header cannot carry, without showing them', () => {
    const error = rejection('Authorization: Bearer t€ken');
    expect(error.message).toContain('Authorization cannot be sent in an HTTP header (it must be Latin-1 text)');
    expect(error.message).not.toContain('t€ken');
    expect(parseWebhookHeaders('X-Name: café')).toEqual({ 'X-Name': 'café' });
  });

  it('names the variable it was given', () => {
    expect(() => parseWebhookHeaders('nope', 'MY_HEADERS')).toThrow(/MY_HEADERS/);
  });
});
