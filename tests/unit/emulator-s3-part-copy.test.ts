import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../emulator/clock.ts';
import type { S3Call } from '../../emulator/s3/call.ts';
import { MAX_PUT_BYTES, S3Error, s3Errors } from '../../emulator/s3/errors.ts';
import { answerWhileCopying, copySpan } from '../../emulator/s3/part-copy.ts';
import { DECLARATION, xmlDocument } from '../../emulator/s3/xml.ts';

function failureOf(run: () => unknown): { code: string; status: number; message: string; details: unknown } | undefined {
  try {
    run();
  } catch (error) {
    if (!(error instanceof S3Error)) throw error;
    return { code: error.code, status: error.status, message: error.message, details: Object.fromEntries(error.details) };
  }
  return undefined;
}

const MALFORMED = /^The x-amz-copy-source-range value must be of the form bytes=first-last/;

describe('copySpan (x-amz-copy-source-range)', () => {
  it.each([
    [undefined, 100, { start: 0, length: 100 }],
    [undefined, 0, { start: 0, length: 0 }],
    ['bytes=0-99', 100, { start: 0, length: 100 }],
    ['bytes=10-10', 100, { start: 10, length: 1 }],
    ['bytes=50-99', 100, { start: 50, length: 50 }],
    [' bytes=1-2 ', 100, { start: 1, length: 2 }],
  ])('%s of %i bytes copies %o', (header, size, span) => {
    expect(copySpan(header, size)).toEqual(span);
  });

  it('a range reaching past the source is InvalidArgument 400 naming the source size and the header', () => {
    for (const header of ['bytes=0-100', 'bytes=100-100', 'bytes=0-0']) {
      const size = header === 'bytes=0-0' ? 0 : 100;
      expect(
        failureOf(() => copySpan(header, size)),
        header,
      ).toEqual({
        code: 'InvalidArgument',
        status: 400,
        message: `Range specified is not valid for source object of size: ${size}`,
        details: { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: header },
      });
    }
  });

  it.each([
    'bytes=5-',
    'bytes=-5',
    'bytes=9-5',
    'bytes=0-1,3-4',
    'bytes 0-1',
    'items=0-1',
    '',
    'bytes=99999999999999999999-99999999999999999999',
  ])('%j is malformed (InvalidArgument 400)', (header) => {
    const failure = failureOf(() => copySpan(header, 100));
    expect(failure).toMatchObject({ code: 'InvalidArgument', status: 400 });
    expect(failure?.message).toMatch(MALFORMED);
  });

  it('a part may not exceed 5 GiB: a whole source larger than that is InvalidRequest, a larger range EntityTooLarge', () => {
    expect(copySpan(undefined, MAX_PUT_BYTES)).toEqual({ start: 0, length: MAX_PUT_BYTES });
    expect(failureOf(() => copySpan(undefined, MAX_PUT_BYTES + 1))).toMatchObject({ code: 'InvalidRequest', status: 400 });
    expect(copySpan(`bytes=1-${MAX_PUT_BYTES}`, MAX_PUT_BYTES + 1)).toEqual({ start: 1, length: MAX_PUT_BYTES });
    expect(failureOf(() => copySpan(`bytes=0-${MAX_PUT_BYTES}`, MAX_PUT_BYTES + 1))).toMatchObject({
      code: 'EntityTooLarge',
      status: 400,
    });
  });
});

/** Serves one request with `answerWhileCopying(work)`; `onHeaders` runs once the client has the status and headers. */
async function answered(
  work: () => Promise<string>,
  onHeaders: () => void = () => {},
): Promise<{ status: number; headers: Headers; body: string }> {
  const server = http.createServer((req, res) => {
    const call = {
      req,
      res,
      ctx: { clock: new Clock() },
      method: 'PUT',
      target: { bucket: 'b', key: 'k', canonicalPath: '/b/k' },
      query: [],
      requestId: 'REQ',
      hostId: 'HOST',
      cors: {},
    } as unknown as S3Call;
    void answerWhileCopying(call, work);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/b/k`, { method: 'PUT' });
    onHeaders();
    return { status: response.status, headers: response.headers, body: await response.text() };
  } finally {
    server.close();
  }
}

describe('answerWhileCopying (a copy is answered 200 as soon as it starts)', () => {
  it('sends the status and headers before the copy ends, then one XML document', async () => {
    let finish: (document: string) => void = () => {};
    const work = () => new Promise<string>((resolve) => (finish = resolve));
    const document = xmlDocument('CopyPartResult', [['ETag', '"abc"']]);
    const { status, headers, body } = await answered(work, () => finish(document));
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/xml');
    expect(headers.get('x-amz-request-id')).toBe('REQ');
    expect(body.trim()).toBe(document.trim());
    expect(body.startsWith(DECLARATION)).toBe(true);
  });

  it("puts S3's error document inside the 200 when the copy fails after it started", async () => {
    const { status, body } = await answered(() => Promise.reject(s3Errors.noSuchUpload('U1')));
    expect(status).toBe(200);
    expect(body.startsWith(DECLARATION)).toBe(true);
    expect(body.split('<?xml')).toHaveLength(2);
    expect(body).toContain('<Error><Code>NoSuchUpload</Code>');
    expect(body).toContain('<UploadId>U1</UploadId><RequestId>REQ</RequestId><HostId>HOST</HostId>');
    // What the AWS SDKs look at to turn a 200 into an error.
    expect(body.endsWith('</Error>')).toBe(true);
  });
});
