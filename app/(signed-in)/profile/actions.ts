'use server';

import { z } from 'zod';
import { runAction } from '@/lib/actions';
import { planAvatarUpload, removeAvatar as removeOwnAvatar } from '@/lib/files/avatar';
import { SetAvatarSchema } from '@/lib/files/schemas';
import type { ActionResult, SetAvatarInput } from '@/lib/files/types';

/**
 * Starts setting the person's avatar: a presigned PUT for `protected/<identityId>/avatar` with the
 * PNG's exact size and type signed. The browser uploads the bytes straight to S3, then refreshes.
 */
export async function setAvatar(input: SetAvatarInput): Promise<ActionResult<{ url: string; headers: Record<string, string> }>> {
  return runAction('profile.set_avatar', SetAvatarSchema, input, async (valid, access) => planAvatarUpload(access, valid.size));
}

/** Removes the person's avatar. */
export async function removeAvatar(): Promise<ActionResult<null>> {
  return runAction('profile.remove_avatar', z.undefined(), undefined, async (_valid, access) => {
    await removeOwnAvatar(access);
    return null;
  });
}
