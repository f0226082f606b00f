/**
 * Where the bucket and its objects are reached: the one place that knows S3's addressing. On AWS,
 * virtual-hosted style (`https://<bucket>.s3.<region>.amazonaws.com/<key>`); with an endpoint
 * override (AWS_ENDPOINT_URL_S3, the emulator), path-style under it (`<endpoint>/<bucket>/<key>`).
 * The S3 client, the URL signer, the copy source and the CSP's connect-src all read it from here,
 * so they cannot disagree. Pure and import-free: runs anywhere (the proxy, the server, Node's type
 * stripping).
 */

/** The settings S3 addressing depends on (a subset of lib/env.ts's `Env`). */
export interface S3AddressEnv {
  /** An endpoint override (the emulator); unset on AWS. */
  AWS_ENDPOINT_URL_S3?: string | undefined;
  S3_BUCKET: string;
  AWS_REGION: string;
}

/** Whether objects are addressed path-style: only under an endpoint override (the emulator). */
export function usesPathStyle(env: S3AddressEnv): boolean {
  return Boolean(env.AWS_ENDPOINT_URL_S3);
}

/** The S3 origin the browser uploads to and downloads from (virtual-hosted style unless overridden). */
export function s3BrowserOrigin(env: S3AddressEnv): string {
  return env.AWS_ENDPOINT_URL_S3 ?? `https://${env.S3_BUCKET}.s3.${env.AWS_REGION}.amazonaws.com`;
}

/**
 * The S3 client's addressing options: the endpoint and path-style only under an override (the
 * emulator); nothing on AWS, where the SDK resolves the virtual-hosted endpoint itself.
 */
export function s3ClientAddressing(env: S3AddressEnv): { endpoint?: string; forcePathStyle?: boolean } {
  return env.AWS_ENDPOINT_URL_S3 ? { endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true } : {};
}

/**
 * The request path of an object on {@link s3BrowserOrigin}: `/<bucket>/<key>` path-style, `/<key>`
 * virtual-hosted. `encodedKey` is the key with each segment already URI-encoded (slashes kept).
 */
export function objectPath(env: S3AddressEnv, encodedKey: string): string {
  return usesPathStyle(env) ? `/${env.S3_BUCKET}/${encodedKey}` : `/${encodedKey}`;
}

/** A key as the path of `x-amz-copy-source`: `<bucket>/<key>`, every segment URI-encoded (identity ids hold a `:`). */
export function copySourceOf(bucketName: string, key: string): string {
  return `${bucketName}/${key.split('/').map(encodeURIComponent).join('/')}`;
}
