'use server';

import { type DeleteAccountInput, DeleteAccountSchema, type DeletionSummary, leaveCubby } from '@/lib/account/delete-account';
import {
  type DownloadLinksInput,
  type DownloadLinksPage,
  DownloadLinksSchema,
  downloadAllLinks,
} from '@/lib/account/download-all';
import { runAction } from '@/lib/actions';
import { getAccess, type PersonAccess } from '@/lib/dal';
import { AppError } from '@/lib/errors';
import type { ActionResult } from '@/lib/files/types';

/** A page of download links for everything the person owns (signed with their own credentials). */
export async function listDownloadLinks(input: DownloadLinksInput): Promise<ActionResult<DownloadLinksPage>> {
  return runAction('account.download_links', DownloadLinksSchema, input, (valid, access) =>
    downloadAllLinks(access, valid.cursor),
  );
}

/**
 * Deletes the account (every object, then the user) and ends every session of the person; the
 * browser then keeps the summary and signs out as usual.
 */
export async function deleteAccount(input: DeleteAccountInput): Promise<ActionResult<DeletionSummary>> {
  return runAction('account.delete', DeleteAccountSchema, input, (valid, access) => leaveCubby(access, valid), readOnlyGate);
}

/**
 * The gate without cookie writes (no identity id saved, no refresh written here; the proxy
 * already refreshed what was due): an action that writes a cookie makes Next render /account
 * again in its answer, for a person who no longer exists.
 */
async function readOnlyGate(): Promise<PersonAccess> {
  const access = await getAccess('render');
  if (!access) throw new AppError('unauthenticated', 'no session for the delete');
  return access;
}
