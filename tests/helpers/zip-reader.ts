import { crc32, inflateRawSync } from 'node:zlib';

/** One file in a zip: its name as stored and its bytes. */
export interface ZipEntry {
  name: string;
  bytes: Buffer;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/**
 * The entries of a zip, read through its central directory (stored or deflated entries, no
 * zip64, no encryption: what tests make), each checked against its CRC-32. Throws on anything malformed, so a truncated zip fails the test.
 */
export function readZip(zip: Buffer): ZipEntry[] {
  let end = -1;
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset -= 1) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw new Error('no end of central directory: not a complete zip');
  const count = zip.readUInt16LE(end + 10);
  let cursor = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(cursor) !== CENTRAL_FILE_HEADER) throw new Error(`bad central header ${index}`);
    const method = zip.readUInt16LE(cursor + 10);
    const crc = zip.readUInt32LE(cursor + 16);
    const compressed = zip.readUInt32LE(cursor + 20);
    const nameLength = zip.readUInt16LE(cursor + 28);
    const extraLength = zip.readUInt16LE(cursor + 30);
    const commentLength = zip.readUInt16LE(cursor + 32);
    const local = zip.readUInt32LE(cursor + 42);
    const name = zip.subarray(cursor + 46, cursor + 46 + nameLength).toString('utf8');
    if (zip.readUInt32LE(local) !== LOCAL_FILE_HEADER) throw new Error(`bad local header for ${name}`);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    if (data.length !== compressed) throw new Error(`${name} is cut short`);
    if (method !== 0 && method !== 8) throw new Error(`${name}: compression method ${method}`);
    const bytes = method === 8 ? inflateRawSync(data) : Buffer.from(data);
    if (crc32(bytes) !== crc) throw new Error(`${name}: CRC-32 mismatch`);
    entries.push({ name, bytes });
    cursor += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
