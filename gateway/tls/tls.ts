/**
 * TLS for the gateway's LAN mode: the operator's own certificate (`--tls-cert/--tls-key`), or one the gateway makes
 * itself on first start (`--tls-self-signed`), kept in <data-dir>/tls/cert.pem + key.pem (0600), valid for
 * 127.0.0.1, localhost, this host's name and its LAN addresses. Clients trust it by its file (README: TLS).
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selfSignedCertificate } from './x509';

export interface TlsMaterial { cert: string; key: string; certFile: string; selfSigned: boolean; fingerprint: string; created: boolean; missingIps: string[] }
export type TlsOption = { certFile: string; keyFile: string } | { selfSigned: true };

/** This machine's addresses (loopback and LAN, v4 and v6 without zone ids). */
export function localAddresses(): string[] {
  const ips = Object.values(os.networkInterfaces()).flat().filter((i): i is os.NetworkInterfaceInfo => !!i && !i.address.includes('%')).map((i) => i.address);
  return [...new Set(['127.0.0.1', '::1', ...ips])];
}

function fingerprintOf(certPem: string): string { return new X509Certificate(certPem).fingerprint256; }

/** Loads the operator's certificate and key, or the self-signed pair (creating it the first time). */
export function loadTls(opt: TlsOption, dataDir: string): TlsMaterial {
  if ('certFile' in opt) {
    const read = (f: string, what: string) => { try { return fs.readFileSync(f, 'utf8'); } catch (e) { throw new Error(`cannot read the TLS ${what} ${f}: ${(e as Error).message}`, { cause: e }); } };
    const cert = read(opt.certFile, 'certificate'), key = read(opt.keyFile, 'key');
    let fingerprint: string;
    try { fingerprint = fingerprintOf(cert); } catch (e) { throw new Error(`${opt.certFile} is not a PEM certificate`, { cause: e }); }
    return { cert, key, certFile: path.resolve(opt.certFile), selfSigned: false, fingerprint, created: false, missingIps: [] };
  }
  const dir = path.join(dataDir, 'tls');
  const certFile = path.join(dir, 'cert.pem'), keyFile = path.join(dir, 'key.pem');
  const ips = localAddresses();
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const cert = fs.readFileSync(certFile, 'utf8');
    const x = new X509Certificate(cert);
    // Kept as is (clients trust this exact certificate); an address it does not cover is reported, not fixed.
    const missingIps = ips.filter((ip) => !x.checkIP(ip));
    return { cert, key: fs.readFileSync(keyFile, 'utf8'), certFile, selfSigned: true, fingerprint: x.fingerprint256, created: false, missingIps };
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cert = selfSignedCertificate({ commonName: `gogogoapi gateway (${os.hostname()})`, dnsNames: [...new Set(['localhost', os.hostname()])].filter((h) => /^[A-Za-z0-9.-]+$/.test(h)), ips, privateKey, days: 825 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  fs.writeFileSync(keyFile, key, { mode: 0o600 });
  fs.writeFileSync(certFile, cert, { mode: 0o644 });
  return { cert, key, certFile, selfSigned: true, fingerprint: fingerprintOf(cert), created: true, missingIps: [] };
}
