import 'server-only';
import { formatUrl } from '@aws-sdk/core/util';
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/hash-node';
import { LRUCache } from 'lru-cache';
import { type Env, getEnv } from '@/lib/env';
import type { AwsCredentials } from './credentials';
import { objectPath, s3BrowserOrigin } from './s3-address';

/**
 * Presigned object URLs, signed by the SDK's own S3RequestPresigner (SigV4 query signing,
 * UNSIGNED-PAYLOAD, S3's path rules) over a request built here exactly as the S3 client serializes
 * PutObject, GetObject and UploadPart: path-style on an endpoint override (the emulator),
 * virtual-hosted on AWS, the key's segments encoded with its slashes kept. `getSignedUrl` would
 * resolve S3's endpoint rules, clone the middleware stack and make a new signer (deriving the
 * signing key afresh) on every call; a presigner kept per credential set does none of that
 * (~0.1 ms instead of ~0.5 ms a URL). tests/unit/s3-presign.test.ts proves the URLs identical to
 * getSignedUrl's. Server only; makes no network call.
 */

/** One signed object request: its method, key, headers to sign and query parameters. */
export interface ObjectRequest {
  method: 'GET' | 'PUT';
  key: string;
  /** The operation's name, as the SDK's `x-id` parameter. */
  operation: 'GetObject' | 'PutObject' | 'UploadPart';
  headers?: Record<string, string>;
  query?: Record<string, string>;
}

const presigners = new LRUCache<string, S3RequestPresigner>({ max: 200 });

function presignerFor(credentials: AwsCredentials): S3RequestPresigner {
  let presigner = presigners.get(credentials.accessKeyId);
  if (!presigner) {
    presigner = new S3RequestPresigner({
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiration,
      },
      region: getEnv().AWS_REGION,
      sha256: Hash.bind(null, 'sha256'),
    });
    presigners.set(credentials.accessKeyId, presigner);
  }
  return presigner;
}

/** The bucket's origin as the browser reaches it (the CSP's connect-src names the same one), parsed once. */
let origin: { env: Env; url: URL } | undefined;

/**
 * Where object `key` lives: on an endpoint override (the emulator), path-style under it; on AWS,
 * virtual-hosted at `<bucket>.s3.<region>.amazonaws.com`. Both from lib/aws/s3-address.ts, as the
 * CSP's connect-src is, so signed URLs and the CSP cannot disagree.
 */
function objectLocation(key: string): Pick<HttpRequest, 'protocol' | 'hostname' | 'port' | 'path'> {
  const env = getEnv();
  if (origin?.env !== env) origin = { env, url: new URL(s3BrowserOrigin(env)) };
  const { url } = origin;
  const encodedKey = key.split('/').map(extendedEncodeURIComponent).join('/');
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: objectPath(env, encodedKey),
  };
}

/**
 * A presigned URL for `request`, living `expiresIn` seconds (the caller bounds it by the
 * credentials, lib/aws/s3-client.ts `urlLifetime`); `signableHeaders` are signed besides `host`
 * and the headers signed by default (Content-Length among them).
 */
export async function presignObjectUrl(
  credentials: AwsCredentials,
  request: ObjectRequest,
  expiresIn: number,
  signableHeaders?: Set<string>,
): Promise<string> {
  const location = objectLocation(request.key);
  const host = location.port ? `${location.hostname}:${location.port}` : location.hostname;
  const signed = await presignerFor(credentials).presign(
    new HttpRequest({
      ...location,
      method: request.method,
      headers: { ...request.headers, host },
      query: { ...request.query, 'x-id': request.operation },
    }),
    { expiresIn, ...(signableHeaders ? { signableHeaders } : {}) },
  );
  return formatUrl(signed);
}
