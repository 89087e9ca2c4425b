import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayRig } from '../testing/gateway-rig.js';

let rig: GatewayRig | undefined;
let dir: string | undefined;
afterEach(async () => {
  await rig?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('gateway over TLS', () => {
  it('serves HTTPS with the given certificate and key', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokenledger-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
      stdio: 'ignore',
    });
    rig = await GatewayRig.start({ config: { upstreams: { anthropic: { baseUrl: 'http://127.0.0.1:1' } }, tls: { cert, key } } });
    expect(rig.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${rig?.url}/metrics`, { ca: readFileSync(cert) }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    expect(status).toBe(200);
  });
});
