import type { Metadata } from 'next';
import Link from 'next/link';
import { SignOutButton } from '@/app/_components/sign-out-button';
import { signInMethodOf } from '@/lib/auth/sign-in-method';
import { getAccess, verifySession } from '@/lib/dal';
import { avatarUrlOf } from '@/lib/files/avatar';
import { AvatarEditor } from './avatar-editor';

export const metadata: Metadata = { title: 'Profile' };

/** The person's avatar URL, or null (none yet, or storage unreachable: the initials show instead). */
async function ownAvatarUrl(): Promise<string | null> {
  try {
    const access = await getAccess('render');
    return access ? await avatarUrlOf(access.credentials, access.identityId, { fresh: true }) : null;
  } catch {
    return null;
  }
}

function initialsOf(name: string): string {
  return name.trim().charAt(0).toUpperCase() || '?';
}

export default async function ProfilePage() {
  const session = await verifySession('/profile');
  const avatarUrl = await ownAvatarUrl();
  const method = signInMethodOf(session);
  const rows: [string, string][] = [
    ['Signed in with', method.label],
    ['Email', session.email || '—'],
    ['Username', session.username],
    ['Groups', session.groups.length > 0 ? session.groups.join(', ') : 'none'],
  ];
  return (
    <section className="container page" aria-labelledby="profile-title">
      <h1 id="profile-title">Your profile</h1>
      <AvatarEditor
        avatarUrl={avatarUrl}
        providerPicture={method.pictureUrl ? { url: method.pictureUrl, provider: method.label } : null}
        initials={initialsOf(session.email || session.username)}
      />
      <dl className="details card" data-testid="profile-details">
        {rows.map(([term, value]) => (
          <div key={term} className="details-row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        <Link href="/account" data-testid="account-link">
          Your account
        </Link>
        : name, email, password, two-step verification, passkeys and this session.
      </p>
      <SignOutButton className="button button-primary" />
    </section>
  );
}
