import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetBucketLocationCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsCommand,
  type ObjectCannedACL,
  PutObjectAclCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChunkSigning, chunkSignature, signingKey, trailerSignature } from '../../emulator/s3/chunked.ts';
import { uriEncode } from '../../emulator/s3/request.ts';
import { type EmulatorProcess, startEmulatorProcess } from '../helpers/emulator-process';
import { type S3Person, signedInS3Person } from '../helpers/s3-person';

/**
 * What S3 clients send by default, request by request, on a person's own folder: canned ACLs
 * and grants (the bucket has ACLs disabled), flexible checksums the SDKs add (CRC64NVME
 * included), signed aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, what SDKs without
 * trailers send over plain HTTP), ListObjects v1 paging, and the bucket calls some clients
 * make first (GetBucketLocation, HeadBucket, ?acl), which these roles are not granted.
 */

let emulator: EmulatorProcess;
let person: S3Person;
let sdkDefaults: S3Person;
let Bucket: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  Bucket = emulator.config.bucket;
  person = await signedInS3Person(emulator, 'headers@example.com');
  // The SDK's own defaults: a checksum on every upload (CRC32 unless told otherwise).
  sdkDefaults = await signedInS3Person(emulator, 'headers-defaults@example.com', {
    requestChecksumCalculation: 'WHEN_SUPPORTED',
    responseChecksumValidation: 'WHEN_SUPPORTED',
  });
});
afterAll(async () => {
  await emulator?.stop();
});

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

async function text(Key: string): Promise<string> {
  const got = await person.s3.send(new GetObjectCommand({ Bucket, Key }));
  return (await got.Body?.transformToString()) ?? '';
}

describe('ACL headers on a bucket with ACLs disabled (bucket owner enforced)', () => {
  it('accepts no ACL and the owner-only canned ACLs rclone and others send', async () => {
    for (const ACL of ['private', 'bucket-owner-full-control'] as const) {
      const Key = `${person.home}acl-${ACL}.txt`;
      await person.s3.send(new PutObjectCommand({ Bucket, Key, Body: ACL, ACL }));
      expect(await text(Key)).toBe(ACL);
    }
  });

  it('refuses other canned ACLs and grants with 400 AccessControlListNotSupported, on every write', async () => {
    const Key = `${person.home}acl-refused.txt`;
    const refused = [
      new PutObjectCommand({ Bucket, Key, Body: 'x', ACL: 'public-read' }),
      new PutObjectCommand({ Bucket, Key, Body: 'x', GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }),
      new CreateMultipartUploadCommand({ Bucket, Key, ACL: 'authenticated-read' }),
      new CopyObjectCommand({ Bucket, Key, CopySource: `${Bucket}/${person.home}acl-private.txt`, ACL: 'public-read-write' }),
    ];
    for (const command of refused) {
      const error = await failure(person.s3.send(command as PutObjectCommand));
      expect([error.name, error.$metadata.httpStatusCode, error.message]).toEqual([
        'AccessControlListNotSupported',
        400,
        'The bucket does not allow ACLs',
      ]);
    }
  });

  it('refuses an unknown canned ACL (InvalidArgument), and answers AccessDenied outside the folder', async () => {
    const unknown = await failure(
      person.s3.send(new PutObjectCommand({ Bucket, Key: `${person.home}x`, Body: 'x', ACL: 'everyone' as ObjectCannedACL })),
    );
    expect([unknown.name, unknown.$metadata.httpStatusCode]).toEqual(['InvalidArgument', 400]);
    const elsewhere = await failure(
      person.s3.send(new PutObjectCommand({ Bucket, Key: 'private/someone-else/x', Body: 'x', ACL: 'public-read' })),
    );
    expect(elsewhere.name).toBe('AccessDenied');
  });

  it('authorises GetObjectAcl/PutObjectAcl, GetBucketLocation and HeadBucket as S3 does (not granted: AccessDenied)', async () => {
    const Key = `${person.home}acl-private.txt`;
    for (const command of [
      new GetObjectAclCommand({ Bucket, Key }),
      new PutObjectAclCommand({ Bucket, Key, ACL: 'private' }),
      new GetBucketLocationCommand({ Bucket }),
    ]) {
      const error = await failure(person.s3.send(command as GetObjectAclCommand));
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    }
    const head = await failure(person.s3.send(new HeadBucketCommand({ Bucket })));
    expect(head.$metadata.httpStatusCode).toBe(403);
  });
});

describe('flexible checksums', () => {
  it('verifies every algorithm the SDK offers, CRC64NVME included', async () => {
    for (const ChecksumAlgorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
      const Key = `${person.home}sum-${ChecksumAlgorithm}.txt`;
      await person.s3.send(new PutObjectCommand({ Bucket, Key, Body: `body ${ChecksumAlgorithm}`, ChecksumAlgorithm }));
      expect(await text(Key)).toBe(`body ${ChecksumAlgorithm}`);
    }
  });

  it('takes the SDK default (a CRC32 on every upload) and streams it back when asked for checksums', async () => {
    const Key = `${sdkDefaults.home}default.txt`;
    await sdkDefaults.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'sdk defaults' }));
    const got = await sdkDefaults.s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    expect(await got.Body?.transformToString()).toBe('sdk defaults');
  });

  it('refuses a wrong CRC64NVME (BadDigest) and an algorithm without its value (InvalidRequest)', async () => {
    const Key = `${person.home}sum-bad.txt`;
    const wrong = await failure(
      person.s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x', ChecksumCRC64NVME: 'AAAAAAAAAAA=' })),
    );
    expect([wrong.name, wrong.$metadata.httpStatusCode]).toEqual(['BadDigest', 400]);
    const response = await signedFetch('PUT', Key, { 'x-amz-sdk-checksum-algorithm': 'CRC32' }, Buffer.from('x'));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
  });
});

/** A Buffer's bytes as fetch's BodyInit. */
function bytes(body: Buffer): ArrayBuffer {
  return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
}

/** Signs a request with the person's credentials by the SDK's own SigV4 signer (path-style, like the SDK). */
async function sign(method: string, key: string, headers: Record<string, string>) {
  const url = new URL(emulator.url);
  const path = `/${Bucket}/${key.split('/').map(uriEncode).join('/')}`;
  const signer = new SignatureV4({
    service: 's3',
    region: emulator.config.region,
    credentials: person.credentials,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
    applyChecksum: false,
  });
  const request = new HttpRequest({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, headers });
  const signed = await signer.sign(request);
  const { host: _host, ...sent } = signed.headers;
  return { url: `${emulator.url}${path}`, headers: sent };
}

/** A signed request with a plain body (its SHA-256 as the payload hash), sent with fetch. */
async function signedFetch(method: string, key: string, headers: Record<string, string>, body: Buffer) {
  const hash = createHash('sha256').update(body).digest('hex');
  const signed = await sign(method, key, { host: new URL(emulator.url).host, 'x-amz-content-sha256': hash, ...headers });
  return fetch(signed.url, { method, headers: signed.headers, body: bytes(body) });
}

/** Sends `chunks` as a signed aws-chunked PutObject; `tamper` alters the framed body before sending. */
async function streamingPut(key: string, chunks: Buffer[], options: { trailer?: boolean; tamper?: (body: Buffer) => void } = {}) {
  const decoded = chunks.reduce((total, chunk) => total + chunk.length, 0);
  const marker = options.trailer ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
  // The seed signature is the Authorization header's; each chunk's signature chains from it.
  const signed = await sign('PUT', key, {
    host: new URL(emulator.url).host,
    'x-amz-content-sha256': marker,
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': String(decoded),
    ...(options.trailer ? { 'x-amz-trailer': 'x-amz-checksum-crc32' } : {}),
  });
  const amzDate = String(signed.headers['x-amz-date']);
  const scope = `${amzDate.slice(0, 8)}/${emulator.config.region}/s3/aws4_request`;
  const signing: ChunkSigning = {
    signingKey: signingKey(person.credentials.secretAccessKey, scope),
    amzDate,
    scope,
    seedSignature: /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '',
    trailer: Boolean(options.trailer),
  };
  let previous = signing.seedSignature;
  const parts: Buffer[] = [];
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    previous = chunkSignature(signing, previous, createHash('sha256').update(chunk).digest('hex'));
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk);
    if (chunk.length > 0) parts.push(Buffer.from('\r\n'));
  }
  if (options.trailer) {
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc32(Buffer.concat(chunks)));
    const line = `x-amz-checksum-crc32:${sum.toString('base64')}`;
    parts.push(Buffer.from(`${line}\r\nx-amz-trailer-signature:${trailerSignature(signing, previous, `${line}\n`)}\r\n`));
  }
  parts.push(Buffer.from('\r\n'));
  const body = Buffer.concat(parts);
  options.tamper?.(body);
  return fetch(signed.url, { method: 'PUT', headers: signed.headers, body: bytes(body) });
}

describe('signed aws-chunked uploads (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', () => {
  const chunks = [randomBytes(64 * 1024), randomBytes(1000)];
  const whole = Buffer.concat(chunks);

  it('stores a body whose every chunk signature checks out, with or without a signed trailer', async () => {
    for (const trailer of [false, true]) {
      const Key = `${person.home}streamed-${trailer}.bin`;
      const response = await streamingPut(Key, chunks, { trailer });
      expect(response.status, await response.text()).toBe(200);
      const got = await person.s3.send(new GetObjectCommand({ Bucket, Key }));
      expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(whole)).toBe(true);
    }
  });

  it('refuses a body altered after signing with 403 SignatureDoesNotMatch, storing nothing', async () => {
    const Key = `${person.home}streamed-tampered.bin`;
    const response = await streamingPut(Key, chunks, {
      tamper: (body) => {
        body[500] = (body[500] ?? 0) ^ 0xff;
      },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const missing = await failure(person.s3.send(new GetObjectCommand({ Bucket, Key })));
    expect(missing.name).toBe('NoSuchKey');
  });
});

describe('ListObjects (v1)', () => {
  it('pages with NextMarker when a delimiter is given, and by the last Key otherwise', async () => {
    const folder = `${person.home}v1/`;
    for (const name of ['a.txt', 'b/1.txt', 'b/2.txt', 'c.txt']) {
      await person.s3.send(new PutObjectCommand({ Bucket, Key: `${folder}${name}`, Body: name }));
    }
    const seen: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await person.s3.send(new ListObjectsCommand({ Bucket, Prefix: folder, Delimiter: '/', MaxKeys: 1, Marker }));
      seen.push(
        ...(page.Contents ?? []).map((item) => item.Key ?? ''),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''),
      );
      expect((page.Contents ?? []).every((item) => item.Owner?.ID)).toBe(true);
      Marker = page.IsTruncated ? page.NextMarker : undefined;
      if (page.IsTruncated) expect(Marker).toBeDefined();
    } while (Marker);
    expect(seen).toEqual([`${folder}a.txt`, `${folder}b/`, `${folder}c.txt`]);

    const flat = await person.s3.send(new ListObjectsCommand({ Bucket, Prefix: folder, MaxKeys: 2 }));
    expect([flat.IsTruncated, flat.NextMarker, flat.Contents?.map((item) => item.Key)]).toEqual([
      true,
      undefined,
      [`${folder}a.txt`, `${folder}b/1.txt`],
    ]);
    const rest = await person.s3.send(new ListObjectsCommand({ Bucket, Prefix: folder, Marker: `${folder}b/1.txt` }));
    expect(rest.Contents?.map((item) => item.Key)).toEqual([`${folder}b/2.txt`, `${folder}c.txt`]);
  });

  it('is authorised like ListObjectsV2: only under the person’s own prefix', async () => {
    const error = await failure(person.s3.send(new ListObjectsCommand({ Bucket, Prefix: 'private/' })));
    expect(error.name).toBe('AccessDenied');
  });
});
