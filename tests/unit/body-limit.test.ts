import { describe, expect, it } from 'vitest';
import { declaresTooLargeBody, exceedsLimit, MAX_REQUEST_BODY_BYTES } from '@/lib/http/body-limit';

function chunked(sizes: number[]): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = sizes[index];
      index += 1;
      if (size === undefined) controller.close();
      else controller.enqueue(new Uint8Array(size));
    },
  });
  return { stream, pulled: () => index };
}

describe('declaresTooLargeBody', () => {
  const table: [string | null, boolean][] = [
    [null, false],
    ['0', false],
    [String(MAX_REQUEST_BODY_BYTES), false],
    [String(MAX_REQUEST_BODY_BYTES + 1), true],
    [String(2 * 1024 * 1024), true],
    [' 2097152 ', true],
    ['99999999999999999999', true],
    ['-1', false],
    ['1e9', false],
    ['abc', false],
  ];
  it.each(table)('Content-Length %s → %s', (value, expected) => {
    expect(declaresTooLargeBody(value)).toBe(expected);
  });
});

describe('exceedsLimit', () => {
  it('is false for a body at the limit, read to its end', async () => {
    expect(await exceedsLimit(chunked([4, 4, 2]).stream, 10)).toBe(false);
  });

  it('is true past the limit and stops reading there', async () => {
    const body = chunked([6, 6, 6, 6, 6]);
    expect(await exceedsLimit(body.stream, 10)).toBe(true);
    expect(body.pulled()).toBeLessThanOrEqual(3);
  });
});
