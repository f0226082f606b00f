import { describe, expect, it } from 'vitest';
import { CANNED_ACLS, OWNER_ID, requestAcl } from '../../emulator/s3/acl.ts';

describe('requestAcl (bucket owner enforced: ACLs disabled)', () => {
  it('finds no ACL when the request carries none', () => {
    expect(requestAcl({})).toBe('none');
  });

  it('accepts the canned ACLs that grant only the bucket owner (the writer is in its account)', () => {
    for (const acl of ['private', 'bucket-owner-full-control', 'bucket-owner-read']) {
      expect(requestAcl({ 'x-amz-acl': acl })).toBe('owner-only');
    }
  });

  it('marks every other canned ACL as one the bucket refuses', () => {
    const others = CANNED_ACLS.filter((acl) => !['private', 'bucket-owner-full-control', 'bucket-owner-read'].includes(acl));
    expect(others).toEqual(['public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'log-delivery-write']);
    for (const acl of others) expect(requestAcl({ 'x-amz-acl': acl })).toBe('other');
  });

  it('accepts grant headers naming only the bucket owner, refuses any other grantee', () => {
    expect(requestAcl({ 'x-amz-grant-full-control': `id="${OWNER_ID}"` })).toBe('owner-only');
    expect(requestAcl({ 'x-amz-grant-full-control': `id=${OWNER_ID}`, 'x-amz-grant-read': `id="${OWNER_ID}"` })).toBe(
      'owner-only',
    );
    expect(requestAcl({ 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })).toBe('other');
    expect(requestAcl({ 'x-amz-grant-full-control': `id="${OWNER_ID}", id="someone-else"` })).toBe('other');
  });

  it('refuses an unknown canned ACL (InvalidArgument) and a canned ACL with grants (InvalidRequest)', () => {
    expect(() => requestAcl({ 'x-amz-acl': 'everyone' })).toThrow(
      expect.objectContaining({
        code: 'InvalidArgument',
        status: 400,
        details: [
          ['ArgumentName', 'x-amz-acl'],
          ['ArgumentValue', 'everyone'],
        ],
      }),
    );
    expect(() => requestAcl({ 'x-amz-acl': 'private', 'x-amz-grant-read': `id="${OWNER_ID}"` })).toThrow(
      expect.objectContaining({
        code: 'InvalidRequest',
        message: 'Specifying both Canned ACLs and Header Grants is not allowed',
      }),
    );
  });
});
