/** TLS for LAN mode: a self-signed certificate the gateway makes, trusted by a real client in a child process. */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminService } from '../gateway/admin/service';
import { createCore, type SqliteCore as Core } from '../gateway/core';
import { runGateway, type RunningServe } from '../gateway/serve';
import { startFakeDeepSeek, type FakeDeepSeek } from './fake-deepseek/server';
import { tempDir, UPSTREAM_KEY } from './helpers/stack';

let fake: FakeDeepSeek;
let dataDir: string;
let core: Core;
let secret: string;
beforeAll(async () => {
  fake = await startFakeDeepSeek({ apiKey: UPSTREAM_KEY });
  dataDir = tempDir();
  core = createCore({ dataDir });
  core.providers.set('deepseek', { baseUrl: fake.url, apiKey: UPSTREAM_KEY });
  const account = core.ledger.requireAccount('default');
  core.ledger.credit(account.id, 5_000_000, { note: 'test' });
  ({ secret } = core.keys.create(account.id, { name: 'lan' }));
  core.close();
});
afterAll(async () => { await fake?.close(); fs.rmSync(dataDir, { recursive: true, force: true }); });

/** Runs the openai SDK in a child process (so NODE_EXTRA_CA_CERTS applies at its start, as it would for a user). */
function sdkCall(baseURL: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `import OpenAI from 'openai';
const c = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.KEY, maxRetries: 0 });
try { const r = await c.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'hi over tls' }] }); console.log(JSON.stringify({ ok: true, content: r.choices[0].message.content })); }
catch (e) { const why = []; for (let c = e; c; c = c.cause) why.push(c.code ?? c.message); console.log(JSON.stringify({ ok: false, error: why.join(' <- ') })); }`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: path.resolve(import.meta.dirname, '..'), env: { ...process.env, BASE_URL: baseURL, KEY: secret, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
  });
}

/** Sends a plain-HTTP request to the port and returns whatever came back (the status line, if any). */
function plainHttp(port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    let got = '';
    sock.on('data', (d) => { got += d.toString('latin1'); });
    sock.on('error', () => resolve(got));
    sock.on('close', () => resolve(got));
    sock.setTimeout(3000, () => sock.destroy());
  });
}

describe('serve --tls-self-signed', () => {
  let gw: RunningServe;
  const lines: string[] = [];
  afterAll(async () => { await gw?.close(); });

  it('makes a certificate once, prints its path and fingerprint, serves https that a trusting client accepts', async () => {
    core = createCore({ dataDir });
    gw = await runGateway(core, { host: '127.0.0.1', port: 0, tls: { selfSigned: true }, log: (l) => lines.push(l), warn: (l) => lines.push(l) });
    const certFile = path.join(dataDir, 'tls', 'cert.pem');
    expect(gw.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const cert = new X509Certificate(fs.readFileSync(certFile));
    expect((fs.statSync(path.join(dataDir, 'tls', 'key.pem')).mode & 0o777)).toBe(0o600);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(lines).toContain(`tls certificate ${certFile} (generated now) sha256 fingerprint ${cert.fingerprint256}`);
    expect(lines.find((l) => l.startsWith('admin on '))).toMatch(/^admin on https:\/\/127\.0\.0\.1:\d+\/admin\/#token=/);
    expect(gw.tls).toMatchObject({ enabled: true, selfSigned: true, certFile, fingerprint: cert.fingerprint256, lanPlainHttp: false });
    const service = createAdminService(core, { gatewayUrl: () => gw.url, lanUrls: () => [], tls: () => gw.tls });
    expect(await service.getTls({})).toEqual({ ok: true, data: gw.tls });

    const trusted = await sdkCall(`${gw.url}/v1`, { NODE_EXTRA_CA_CERTS: certFile });
    expect(JSON.parse(trusted.stdout)).toMatchObject({ ok: true });
    const viaLocalhost = await sdkCall(`${gw.url.replace('127.0.0.1', 'localhost')}/v1`, { NODE_EXTRA_CA_CERTS: certFile });
    expect(JSON.parse(viaLocalhost.stdout)).toMatchObject({ ok: true });
    const untrusted = await sdkCall(`${gw.url}/v1`, {});
    expect(JSON.parse(untrusted.stdout)).toMatchObject({ ok: false, error: expect.stringMatching(/SELF_SIGNED|self[- ]signed/i) });

    // Plain HTTP to the TLS port: never a 2xx.
    expect(await plainHttp(Number(new URL(gw.url).port))).not.toMatch(/^HTTP\/1\.[01] 2/);
  }, 60_000);

  it('keeps the same certificate on the next start', async () => {
    const first = gw.tls!.fingerprint;
    await gw.close();
    core = createCore({ dataDir });
    lines.length = 0;
    gw = await runGateway(core, { host: '127.0.0.1', port: 0, tls: { selfSigned: true }, log: (l) => lines.push(l), warn: (l) => lines.push(l) });
    expect(gw.tls!.fingerprint).toBe(first);
    expect(lines.find((l) => l.startsWith('tls certificate'))).not.toContain('generated now');
  });
});

describe('serve --tls-cert/--tls-key and plain-HTTP LAN mode', () => {
  it("serves the operator's certificate", async () => {
    // The operator's pair: here, one made elsewhere with the same builder, then given by file name.
    const other = tempDir();
    const { loadTls } = await import('../gateway/tls/tls');
    const made = loadTls({ selfSigned: true }, other);
    core = createCore({ dataDir });
    const gw = await runGateway(core, { host: '127.0.0.1', port: 0, tls: { certFile: made.certFile, keyFile: path.join(other, 'tls', 'key.pem') }, log: () => {} });
    try {
      expect(gw.tls).toMatchObject({ enabled: true, selfSigned: false, fingerprint: made.fingerprint });
      expect(JSON.parse((await sdkCall(`${gw.url}/v1`, { NODE_EXTRA_CA_CERTS: made.certFile })).stdout)).toMatchObject({ ok: true });
    } finally { await gw.close(); fs.rmSync(other, { recursive: true, force: true }); }
  }, 60_000);

  it('warns that keys and prompts cross the LAN in clear', async () => {
    core = createCore({ dataDir });
    const warnings: string[] = [];
    const gw = await runGateway(core, { host: '0.0.0.0', port: 0, log: () => {}, warn: (l) => warnings.push(l) });
    try {
      expect(warnings.join('\n')).toMatch(/plain HTTP: API keys and prompts cross the network in clear/);
      expect(gw.tls).toMatchObject({ enabled: false, lanPlainHttp: true });
    } finally { await gw.close(); }
  });
});
