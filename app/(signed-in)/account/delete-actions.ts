'use server';

import { cookies } from 'next/headers';
import { type AccountDeleted, type DeleteAccountInput, DeleteAccountSchema, leaveCubby } from '@/lib/account/delete-account';
import {
  type DownloadLinksInput,
  type DownloadLinksPage,
  DownloadLinksSchema,
  downloadAllLinks,
} from '@/lib/account/download-all';
import { runAction } from '@/lib/actions';
import type { ActionResult } from '@/lib/files/types';

/** A page of download links for everything the person owns (signed with their own credentials). */
export async function listDownloadLinks(input: DownloadLinksInput): Promise<ActionResult<DownloadLinksPage>> {
  return runAction('account.download_links', DownloadLinksSchema, input, (valid, access) =>
    downloadAllLinks(access, valid.cursor),
  );
}

/**
 * Deletes the account (every object, then the user), ends every session of the person and signs
 * this browser out; the browser then shows the summary and goes to Cognito's sign-out.
 */
export async function deleteAccount(input: DeleteAccountInput): Promise<ActionResult<AccountDeleted>> {
  const cookieStore = await cookies();
  return runAction('account.delete', DeleteAccountSchema, input, (valid, access) => leaveCubby(access, valid, cookieStore));
}
