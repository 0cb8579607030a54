/**
 * A minimal X.509 v3 certificate builder (DER by hand, signed with node:crypto), so the gateway can make its own
 * self-signed TLS certificate without an openssl binary or a dependency. ECDSA P-256 with SHA-256; the extensions
 * clients check: basic constraints (a self-signed trust anchor), key usage, server auth, subject alt names, key ids.
 */
import { createHash, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import net from 'node:net';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...parts: Buffer[]): Buffer => { const body = Buffer.concat(parts); return Buffer.concat([Buffer.from([tag]), len(body.length), body]); };
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
const octets = (b: Buffer) => tlv(0x04, b);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0] + arcs[1]];
  for (const a of arcs.slice(2)) {
    const b: number[] = [a & 0x7f];
    for (let v = a >> 7; v > 0; v >>= 7) b.unshift(0x80 | (v & 0x7f));
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

const extension = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

export interface CertificateRequest {
  commonName: string;
  dnsNames: string[];
  ips: string[];
  privateKey: KeyObject;
  days: number;
  now?: Date;
}

/** A self-signed certificate (PEM) for the key pair, valid for the given host names and IP addresses. */
export function selfSignedCertificate(r: CertificateRequest): string {
  const spki = createPublicKey(r.privateKey).export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(spki).digest();
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(r.commonName, 'utf8')))));
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // a positive INTEGER
  const now = r.now ?? new Date();
  const notBefore = new Date(now.getTime() - 24 * 3600_000); // tolerate clients whose clock is a little behind
  const notAfter = new Date(now.getTime() + r.days * 24 * 3600_000);
  const altNames = [
    ...r.dnsNames.map((n) => tlv(0x82, Buffer.from(n, 'ascii'))),
    ...r.ips.map((ip) => tlv(0x87, ipBytes(ip))),
  ];
  const extensions = seq(
    extension('2.5.29.19', true, seq(bool(true))), // basicConstraints: CA (a self-signed trust anchor)
    extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x02, 0x84]))), // keyUsage: digitalSignature, keyCertSign
    extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
    extension('2.5.29.17', false, seq(...altNames)), // subjectAltName
    extension('2.5.29.14', false, octets(keyId)), // subjectKeyIdentifier
    extension('2.5.29.35', false, seq(tlv(0x80, keyId))), // authorityKeyIdentifier (itself)
  );
  const tbs = seq(tlv(0xa0, tlv(0x02, Buffer.from([2]))), tlv(0x02, serial), ecdsaSha256, name, seq(time(notBefore), time(notAfter)), name, spki, tlv(0xa3, extensions));
  const signature = sign('sha256', tbs, r.privateKey); // DER ECDSA-Sig-Value
  const der = seq(tbs, ecdsaSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!net.isIPv6(ip)) throw new RangeError(`not an IP address: ${ip}`);
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.from(groups.flatMap((g) => { const v = parseInt(g, 16); return [v >> 8, v & 0xff]; }));
}
