'use server';

import { runAction } from '@/lib/actions';
import { createShareLink, listShareLinks, revokeShareLink, type ShareLink } from '@/lib/files/share';
import {
  type CreateShareInput,
  CreateShareSchema,
  ListSharesSchema,
  type RevokeShareInput,
  RevokeShareSchema,
} from '@/lib/files/share-schemas';
import type { ActionResult } from '@/lib/files/types';

/** Shares one of the person's files as a link that works for anyone who has it, until it ends or is revoked. */
export async function shareFile(input: CreateShareInput): Promise<ActionResult<ShareLink>> {
  return runAction('files.share', CreateShareSchema, input, async (valid, access) => createShareLink(access, valid));
}

/** The person's active share links (ended ones are removed on the way). */
export async function listShares(): Promise<ActionResult<ShareLink[]>> {
  return runAction('files.shares', ListSharesSchema, {}, async (_valid, access) => listShareLinks(access));
}

/** Revokes one of the person's share links: its copy is deleted and the link shows the "gone" page. */
export async function revokeShare(input: RevokeShareInput): Promise<ActionResult<null>> {
  return runAction('files.revoke_share', RevokeShareSchema, input, async (valid, access) => {
    await revokeShareLink(access, valid.token);
    return null;
  });
}
