import 'server-only';
import { type AttributeType, GetUserCommand, UpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { z } from 'zod';
import type { Session } from '@/lib/auth/session';
import { userPoolClient } from '@/lib/aws/user-pool';
import { withAccessToken } from './cognito-call';
import { pendingEmailOf } from './email';
import type { UpdateProfileSchema } from './schemas';
import type { AccountView } from './types';

/**
 * The person's account as Cognito holds it (GetUser with their access token), reshaped for
 * /account. Server only.
 * @throws {AppError} `session_ended` when Cognito refuses the token (the session is then signed
 *   out), `idp_unavailable` when Cognito cannot be reached.
 */
export async function readAccount(session: Session): Promise<AccountView> {
  const [user, pendingEmail] = await Promise.all([
    withAccessToken(session, 'GetUser', (AccessToken) => userPoolClient().send(new GetUserCommand({ AccessToken }))),
    pendingEmailOf(session.sub),
  ]);
  const attributes = attributeMap(user.UserAttributes);
  const email = attributes.get('email') ?? session.email ?? '';
  return {
    email,
    emailVerified: attributes.get('email_verified') === 'true',
    pendingEmail: pendingEmail && pendingEmail !== email ? pendingEmail : null,
    name: attributes.get('name') ?? '',
    givenName: attributes.get('given_name') ?? '',
    familyName: attributes.get('family_name') ?? '',
    federatedWith: providerOf(attributes.get('identities')),
    totpEnabled: (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA'),
  };
}

function attributeMap(attributes: AttributeType[] | undefined): Map<string, string> {
  return new Map((attributes ?? []).flatMap(({ Name, Value }) => (Name && Value !== undefined ? [[Name, Value]] : [])));
}

/**
 * The provider name in Cognito's `identities` attribute (a JSON array of linked identities), or
 * null when there is none (a Cubby password account).
 */
export function providerOf(identities: string | undefined): string | null {
  if (!identities) return null;
  try {
    const parsed: unknown = JSON.parse(identities);
    if (!Array.isArray(parsed) || parsed.length === 0) return null;
    const first: unknown = parsed[0];
    const name = typeof first === 'object' && first !== null ? (first as { providerName?: unknown }).providerName : undefined;
    return typeof name === 'string' && name ? name : 'another provider';
  } catch {
    return 'another provider';
  }
}

/**
 * Saves the person's names with UpdateUserAttributes. An empty given or family name is stored
 * empty (Cognito has no "remove" through this call); an absent one is left as it is. Server only.
 * @throws {AppError} as {@link readAccount}; `invalid_input` for a value Cognito refuses.
 */
export async function updateProfile(session: Session, input: z.output<typeof UpdateProfileSchema>): Promise<void> {
  const UserAttributes: AttributeType[] = [{ Name: 'name', Value: input.name }];
  if (input.givenName !== undefined) UserAttributes.push({ Name: 'given_name', Value: input.givenName });
  if (input.familyName !== undefined) UserAttributes.push({ Name: 'family_name', Value: input.familyName });
  await withAccessToken(session, 'UpdateUserAttributes', (AccessToken) =>
    userPoolClient().send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes })),
  );
}
