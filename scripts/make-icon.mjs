// Draws the extension icon (docs/images/icon.png, 128×128): a page with lines of text and a
// check mark on a deep-blue rounded square. Pure Node (zlib), deterministic; run after changing it:
//   node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const px = new Uint8Array(N * N * 4);
const SS = 4; // supersampling per axis, for smooth edges

/** Colour of the sub-pixel at (x, y) in icon units (0..128), or null for transparent. */
function colour(x, y) {
  const inRounded = (x0, y0, x1, y1, r) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r), cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  const nearSegment = (ax, ay, bx, by, w) => {
    const dx = bx - ax, dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= w / 2;
  };
  // check mark (drawn over everything)
  if (nearSegment(62, 88, 78, 104, 11) || nearSegment(78, 104, 110, 64, 11)) return [46, 160, 67];
  // page with a folded corner
  const onPage = inRounded(26, 16, 94, 112, 6) && !(x > 78 && y < 32 && x - 78 > y - 16);
  if (onPage) {
    if (x > 78 && y < 32 && x - 78 <= y - 16 && x - 78 > y - 16 - 3) return [200, 210, 225];
    for (const ly of [42, 56, 70, 84]) if (y >= ly && y <= ly + 5 && x >= 38 && x <= (ly === 84 ? 60 : 82)) return [37, 84, 156];
    return [255, 255, 255];
  }
  if (inRounded(2, 2, 126, 126, 22)) return [20, 52, 110];
  return null;
}

for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) {
      const c = colour(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
      if (c) { r += c[0]; g += c[1]; b += c[2]; a++; }
    }
    const i = (y * N + x) * 4;
    if (a) { px[i] = Math.round(r / a); px[i + 1] = Math.round(g / a); px[i + 2] = Math.round(b / a); }
    px[i + 3] = Math.round((255 * a) / (SS * SS));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buf) => { let c = 0xffffffff; for (const v of buf) c = crcTable[(c ^ v) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0); ihdr.writeUInt32BE(N, 4); ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) { raw[y * (N * 4 + 1)] = 0; Buffer.from(px.buffer, y * N * 4, N * 4).copy(raw, y * (N * 4 + 1) + 1); }
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../docs/images/icon.png', import.meta.url), png);
console.log(`docs/images/icon.png: ${png.length} bytes`);
