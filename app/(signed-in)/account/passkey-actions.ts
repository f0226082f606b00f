'use server';

import { z } from 'zod';
import {
  completePasskeyRegistration,
  deletePasskey,
  PasskeyIdSchema,
  RegistrationResponseSchema,
  startPasskeyRegistration,
} from '@/lib/account/passkeys';
import { runAction } from '@/lib/actions';
import type { ActionResult } from '@/lib/files/types';

/** Starts adding a passkey: the options for `navigator.credentials.create()`, from Cognito. */
export async function startAddingPasskey(): Promise<ActionResult<PublicKeyCredentialCreationOptionsJSON>> {
  return runAction('account.passkey_start', z.undefined(), undefined, (_valid, access) =>
    startPasskeyRegistration(access.session.tokens().accessToken),
  );
}

/** Finishes adding a passkey with the browser's answer (Cognito verifies and stores it). */
export async function finishAddingPasskey(input: RegistrationResponseJSON): Promise<ActionResult<null>> {
  return runAction('account.passkey_finish', RegistrationResponseSchema, input, async (valid, access) => {
    await completePasskeyRegistration(access.session.tokens().accessToken, valid);
    return null;
  });
}

/** Removes one of the person's passkeys. */
export async function removePasskey(input: z.infer<typeof PasskeyIdSchema>): Promise<ActionResult<null>> {
  return runAction('account.passkey_remove', PasskeyIdSchema, input, async (valid, access) => {
    await deletePasskey(access.session.tokens().accessToken, valid.id);
    return null;
  });
}
