import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';

/**
 * A small generated profile picture (PNG, 5×5 symmetric blocks scaled up, colour from the hash of
 * the subject), as the `picture` an emulated provider hands out. Pure and deterministic.
 */

const GRID = 5;
const SCALE = 16;
const SIZE = GRID * SCALE;

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** The picture of `seed`: an 80×80 RGB PNG. */
export function identiconPng(seed: string): Buffer {
  const hash = createHash('sha256').update(seed).digest();
  const colour = [hash[0] ?? 0, hash[1] ?? 0, hash[2] ?? 0].map((value) => 60 + (value % 140));
  const background = [240, 240, 240];
  const cells: boolean[][] = [];
  for (let row = 0; row < GRID; row++) {
    const line: boolean[] = [];
    for (let column = 0; column < GRID; column++) {
      const mirrored = column < 3 ? column : GRID - 1 - column;
      line.push(((hash[3 + row * 3 + mirrored] ?? 0) & 1) === 1);
    }
    cells.push(line);
  }
  const raw = Buffer.alloc(SIZE * (1 + SIZE * 3));
  for (let y = 0; y < SIZE; y++) {
    const offset = y * (1 + SIZE * 3);
    raw[offset] = 0;
    for (let x = 0; x < SIZE; x++) {
      const filled = cells[Math.floor(y / SCALE)]?.[Math.floor(x / SCALE)] ?? false;
      const [r = 0, g = 0, b = 0] = filled ? colour : background;
      raw[offset + 1 + x * 3] = r;
      raw[offset + 2 + x * 3] = g;
      raw[offset + 3 + x * 3] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
