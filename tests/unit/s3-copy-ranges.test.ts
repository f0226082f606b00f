import { describe, expect, it } from 'vitest';
import { MAX_PARTS } from '@/lib/aws/s3-limits';
import { copyRanges } from '@/lib/aws/s3-multipart';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('copyRanges (copying an object over 5 GiB in parts)', () => {
  it('covers every byte once, in order, with inclusive ranges', () => {
    const size = 6 * GiB + 123;
    const ranges = copyRanges(size);
    expect(ranges[0]).toEqual({ partNumber: 1, first: 0, last: 512 * MiB - 1 });
    let expected = 0;
    for (const [index, range] of ranges.entries()) {
      expect(range.partNumber).toBe(index + 1);
      expect(range.first).toBe(expected);
      expected = range.last + 1;
    }
    expect(expected).toBe(size);
    expect(ranges.at(-1)?.last).toBe(size - 1);
  });

  it('grows the parts so 5 TiB still fits in 10,000 of them', () => {
    const size = 5 * 1024 * GiB;
    const ranges = copyRanges(size);
    expect(ranges.length).toBeLessThanOrEqual(MAX_PARTS);
    expect(ranges.at(-1)?.last).toBe(size - 1);
  });

  it('takes a smaller part size (for tests against the emulator)', () => {
    expect(copyRanges(20 * MiB, 8 * MiB).map(({ first, last }) => last - first + 1)).toEqual([8 * MiB, 8 * MiB, 4 * MiB]);
  });
});
