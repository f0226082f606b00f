/**
 * An S3 failure as S3 reports it: `code` is the XML `<Code>`, `status` the HTTP status, and
 * `details` the extra elements S3 puts between `<Message>` and `<RequestId>` (in order), e.g.
 * `<Key>` for NoSuchKey. Handlers throw these; the dispatcher turns them into the §7.3 XML.
 */
export class S3Error extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: ReadonlyArray<readonly [string, string]>;
  /** Extra response headers (e.g. `Allow` on MethodNotAllowed). */
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    status: number,
    message: string,
    details: ReadonlyArray<readonly [string, string]> = [],
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
    this.code = code;
    this.status = status;
    this.details = details;
    this.headers = headers;
  }
}

const GIB = 1024 * 1024 * 1024;
/** Largest single PUT (5 GiB) and smallest non-final multipart part (5 MiB). */
export const MAX_PUT_BYTES = 5 * GIB;
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** S3's wording for the errors the emulator produces. */
export const s3Errors = {
  accessDenied: () => new S3Error('AccessDenied', 403, 'Access Denied'),
  noSuchKey: (key: string) => new S3Error('NoSuchKey', 404, 'The specified key does not exist.', [['Key', key]]),
  noSuchBucket: (bucket: string) =>
    new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', [['BucketName', bucket]]),
  noSuchUpload: (uploadId: string) =>
    new S3Error(
      'NoSuchUpload',
      404,
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      [['UploadId', uploadId]],
    ),
  keyTooLong: (size: number) =>
    new S3Error('KeyTooLongError', 400, 'Your key is too long', [
      ['Size', String(size)],
      ['MaxSizeAllowed', '1024'],
    ]),
  missingContentLength: () => new S3Error('MissingContentLength', 411, 'You must provide the Content-Length HTTP header.'),
  entityTooLarge: (proposed: number, max: number) =>
    new S3Error('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', [
      ['ProposedSize', String(proposed)],
      ['MaxSizeAllowed', String(max)],
    ]),
  entityTooSmall: (proposed: number, partNumber: number, etag: string) =>
    new S3Error('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', [
      ['ProposedSize', String(proposed)],
      ['MinSizeAllowed', String(MIN_PART_BYTES)],
      ['PartNumber', String(partNumber)],
      ['ETag', etag],
    ]),
  incompleteBody: () =>
    new S3Error('IncompleteBody', 400, 'You did not provide the number of bytes specified by the Content-Length HTTP header'),
  badDigest: (what: string) =>
    new S3Error(
      'BadDigest',
      400,
      what === 'Content-MD5'
        ? 'The Content-MD5 you specified did not match what we received.'
        : `The ${what} you specified did not match the calculated checksum.`,
    ),
  invalidDigest: () => new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified is not valid.'),
  sha256Mismatch: (client: string, computed: string) =>
    new S3Error(
      'XAmzContentSHA256Mismatch',
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      [
        ['ClientComputedContentSHA256', client],
        ['S3ComputedContentSHA256', computed],
      ],
    ),
  invalidRange: (requested: string, size: number) =>
    new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', [
      ['RangeRequested', requested],
      ['ActualObjectSize', String(size)],
    ]),
  preconditionFailed: (condition: string) =>
    new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', [
      ['Condition', condition],
    ]),
  malformedXml: () =>
    new S3Error('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema'),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error(
      'InvalidArgument',
      400,
      message,
      name === undefined
        ? []
        : [
            ['ArgumentName', name],
            ['ArgumentValue', value ?? ''],
          ],
    ),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', 400, message),
  invalidUri: () => new S3Error('InvalidURI', 400, "Couldn't parse the specified URI."),
  invalidPart: (uploadId: string, partNumber: number, etag: string) =>
    new S3Error(
      'InvalidPart',
      400,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      [
        ['UploadId', uploadId],
        ['PartNumber', String(partNumber)],
        ['ETag', etag],
      ],
    ),
  invalidPartOrder: (uploadId: string) =>
    new S3Error('InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.', [
      ['UploadId', uploadId],
    ]),
  methodNotAllowed: (method: string, resourceType: string, allow: string) =>
    new S3Error(
      'MethodNotAllowed',
      405,
      'The specified method is not allowed against this resource.',
      [
        ['Method', method],
        ['ResourceType', resourceType],
      ],
      { allow },
    ),
  /** `header`: the request header that asks for it (S3 names it in `<Header>`). */
  notImplemented: (header?: string) =>
    new S3Error(
      'NotImplemented',
      501,
      'A header you provided implies functionality that is not implemented.',
      header === undefined ? [] : [['Header', header]],
    ),
  conditionalRequestConflict: () =>
    new S3Error(
      'ConditionalRequestConflict',
      409,
      'A conflicting conditional operation is currently in progress against this resource. Please try again.',
    ),
} as const;
