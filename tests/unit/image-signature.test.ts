import { describe, expect, it } from 'vitest';
import { hasImageSignature, SNIFF_BYTES } from '@/lib/aws/content-types';
import { png } from '../fixtures/png';

const ascii = (text: string) => new TextEncoder().encode(text);
const bytes = (...values: (number | string)[]) =>
  Uint8Array.from(values.flatMap((value) => (typeof value === 'string' ? [...ascii(value)] : [value])));

/** An ISO-BMFF `ftyp` box: size, 'ftyp', major brand, minor version, compatible brands. */
function ftyp(major: string, compatible: string[]): Uint8Array {
  const size = 16 + compatible.length * 4;
  return bytes(0, 0, 0, size, 'ftyp', major, 0, 0, 0, 0, ...compatible);
}

describe('hasImageSignature', () => {
  const table: [string, string, Uint8Array, boolean][] = [
    ['a real PNG', 'image/png', png(2, 2, [1, 2, 3]), true],
    ['a PNG type with parameters', 'image/png; charset=binary', png(2, 2, [1, 2, 3]), true],
    ['JPEG (JFIF)', 'image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'), true],
    ['JPEG (Exif)', 'image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe1, 0, 0x10, 'Exif'), true],
    ['GIF89a', 'image/gif', ascii('GIF89a\x01\x00'), true],
    ['GIF87a', 'image/gif', ascii('GIF87a\x01\x00'), true],
    ['WebP', 'image/webp', bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '), true],
    ['AVIF (major brand)', 'image/avif', ftyp('avif', ['mif1', 'miaf']), true],
    ['AVIF sequence (compatible brand)', 'image/avif', ftyp('mif1', ['avis', 'msf1']), true],
    ['HTML named photo.png', 'image/png', ascii('<!doctype html><html><script>alert(1)</script>'), false],
    ['HTML with leading whitespace', 'image/png', ascii('   <html><body onload=alert(1)>'), false],
    ['SVG claiming to be a PNG', 'image/png', ascii('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), false],
    ['SVG claiming to be a JPEG', 'image/jpeg', ascii('<?xml version="1.0"?><svg/>'), false],
    ['a PNG claiming to be a JPEG', 'image/jpeg', png(2, 2, [1, 2, 3]), false],
    ['a truncated PNG signature', 'image/png', bytes(0x89, 0x50, 0x4e, 0x47), false],
    ['a RIFF that is not WebP (WAV)', 'image/webp', bytes('RIFF', 0x24, 0, 0, 0, 'WAVEfmt '), false],
    ['an MP4 claiming to be AVIF', 'image/avif', ftyp('isom', ['iso2', 'mp41']), false],
    ['a GIF look-alike', 'image/gif', ascii('GIF90a'), false],
    ['an empty file', 'image/png', new Uint8Array(), false],
    ['a PNG declared as SVG (not inline-able)', 'image/svg+xml', png(2, 2, [1, 2, 3]), false],
    ['a PNG declared as HTML', 'text/html', png(2, 2, [1, 2, 3]), false],
  ];
  it.each(table)('%s', (_label, type, head, expected) => {
    expect(hasImageSignature(type, head.subarray(0, SNIFF_BYTES))).toBe(expected);
  });

  it('reads a signature at an offset of a larger buffer', () => {
    const backing = new Uint8Array(100);
    backing.set(ftyp('avif', ['mif1']), 10);
    expect(hasImageSignature('image/avif', backing.subarray(10, 10 + SNIFF_BYTES))).toBe(true);
  });
});
