import { describe, expect, it } from 'vitest';
import { copySourceOf, objectPath, s3BrowserOrigin, s3ClientAddressing, usesPathStyle } from '@/lib/aws/s3-address';

const aws = { S3_BUCKET: 'files', AWS_REGION: 'eu-west-1' };
const emulator = { ...aws, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9229' };

describe('s3BrowserOrigin', () => {
  it('uses the endpoint override or the virtual-hosted bucket origin', () => {
    expect(s3BrowserOrigin(aws)).toBe('https://files.s3.eu-west-1.amazonaws.com');
    expect(s3BrowserOrigin(emulator)).toBe('http://127.0.0.1:9229');
  });

  it('treats an override left undefined as AWS', () => {
    expect(s3BrowserOrigin({ ...aws, AWS_ENDPOINT_URL_S3: undefined })).toBe('https://files.s3.eu-west-1.amazonaws.com');
  });
});

describe('path style', () => {
  it('is used under an endpoint override only', () => {
    expect(usesPathStyle(aws)).toBe(false);
    expect(usesPathStyle(emulator)).toBe(true);
  });

  it('gives the S3 client an endpoint and path-style only under an override', () => {
    expect(s3ClientAddressing(aws)).toEqual({});
    expect(s3ClientAddressing(emulator)).toEqual({ endpoint: 'http://127.0.0.1:9229', forcePathStyle: true });
  });

  it('puts the bucket in the object path under an override, not on AWS', () => {
    const key = 'private/eu-west-1%3A1b2c/a%20b.txt';
    expect(objectPath(emulator, key)).toBe(`/files/${key}`);
    expect(objectPath(aws, key)).toBe(`/${key}`);
  });
});

describe('copySourceOf', () => {
  it.each([
    ['private/eu-west-1:0f/a.txt', 'files/private/eu-west-1%3A0f/a.txt'],
    ['private/eu-west-1:0f/a b (1).txt', 'files/private/eu-west-1%3A0f/a%20b%20(1).txt'],
    ['private/eu-west-1:0f/ümlaut?#%.txt', 'files/private/eu-west-1%3A0f/%C3%BCmlaut%3F%23%25.txt'],
    ['incoming/eu-west-1:0f/0b0e', 'files/incoming/eu-west-1%3A0f/0b0e'],
  ])('encodes every segment of %j and keeps its slashes', (key, source) => {
    expect(copySourceOf('files', key)).toBe(source);
  });
});
