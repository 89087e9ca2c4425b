import { describe, expect, it } from 'vitest';
import { thrown } from '../testing/thrown.js';
import { hostPort, isLoopback, parseListen } from './listen-address.js';

describe('listen address', () => {
  it('reads HOST:PORT and [IPv6]:PORT', () => {
    expect(parseListen('127.0.0.1:4000')).toEqual({ host: '127.0.0.1', port: 4000 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(hostPort({ host: '::1', port: 4000 })).toBe('[::1]:4000');
  });

  it('refuses what is not an address, saying what it expects', () => {
    for (const bad of ['4000', 'localhost', 'host:99999', 'http://x:1', '::1:4000']) {
      expect(thrown(() => parseListen(bad)).message).toContain('--listen expects HOST:PORT');
    }
  });

  it('knows loopback from the rest', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.2', '::', 'example.com', '128.0.0.1'].some(isLoopback)).toBe(false);
  });
});
