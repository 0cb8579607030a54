#!/usr/bin/env node
// Draws the app icon (a gradient rounded square with a white arrow, the window's brand mark) into
// resources/icons: icon.png (512), tray.png (32) and tray@2x.png (64), icon.ico (256, PNG-in-ICO) and icon.svg.
// No image library needed: pixels are computed and written as PNG with zlib. Run: node scripts/make-icons.mjs
import fs from 'node:fs';
import zlib from 'node:zlib';

const SEGMENTS = [[0.27, 0.5, 0.68, 0.5], [0.5, 0.31, 0.71, 0.5], [0.5, 0.69, 0.71, 0.5]];
const STROKE = 0.085;

function distToSegment(px, py, [ax, ay, bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedSquare(u, v, margin = 0.04, r = 0.22) {
  const cx = Math.min(Math.max(u, margin + r), 1 - margin - r), cy = Math.min(Math.max(v, margin + r), 1 - margin - r);
  return Math.hypot(u - cx, v - cy) <= r;
}

/** RGBA of one sample: transparent outside, gradient inside, white on the arrow. */
function sample(u, v) {
  if (!insideRoundedSquare(u, v)) return [0, 0, 0, 0];
  if (SEGMENTS.some((s) => distToSegment(u, v, s) <= STROKE / 2)) return [255, 255, 255, 255];
  const t = (u + v) / 2;
  return [Math.round(79 + (14 - 79) * t), Math.round(70 + (165 - 70) * t), Math.round(229 + (233 - 229) * t), 255];
}

function pixels(size, ss = 4) {
  const out = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const acc = [0, 0, 0, 0];
    for (let j = 0; j < ss; j++) for (let i = 0; i < ss; i++) {
      const c = sample((x + (i + 0.5) / ss) / size, (y + (j + 0.5) / ss) / size);
      acc[0] += c[0] * c[3]; acc[1] += c[1] * c[3]; acc[2] += c[2] * c[3]; acc[3] += c[3];
    }
    const o = (y * size + x) * 4;
    out[o + 3] = Math.round(acc[3] / (ss * ss));
    for (let k = 0; k < 3; k++) out[o + k] = acc[3] ? Math.round(acc[k] / acc[3]) : 0;
  }
  return out;
}

const CRC = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc32 = (buf) => { let c = 0xffffffff; for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size) {
  const rgba = pixels(size);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** A single-image ICO holding a 256×256 PNG (supported since Windows Vista). */
function ico(pngData) {
  const head = Buffer.alloc(22);
  head.writeUInt16LE(0, 0); head.writeUInt16LE(1, 2); head.writeUInt16LE(1, 4);
  head[6] = 0; head[7] = 0; head.writeUInt16LE(1, 10); head.writeUInt16LE(32, 12);
  head.writeUInt32LE(pngData.length, 14); head.writeUInt32LE(22, 18);
  return Buffer.concat([head, pngData]);
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#4f46e5"/><stop offset="1" stop-color="#0ea5e9"/></linearGradient></defs>
  <rect x="4" y="4" width="92" height="92" rx="22" fill="url(#g)"/>
  <path d="M27 50H68M50 31L71 50L50 69" fill="none" stroke="#fff" stroke-width="8.5" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`;

const dir = new URL('../resources/icons/', import.meta.url);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(new URL('icon.png', dir), png(512));
fs.writeFileSync(new URL('tray.png', dir), png(32));
fs.writeFileSync(new URL('tray@2x.png', dir), png(64));
fs.writeFileSync(new URL('icon.ico', dir), ico(png(256)));
fs.writeFileSync(new URL('icon.svg', dir), svg);
console.log('icons written to resources/icons');
