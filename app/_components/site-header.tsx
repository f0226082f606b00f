import Link from 'next/link';
import { getSession } from '@/lib/dal';
import { Logo } from './logo';
import { SignOutButton } from './sign-out-button';
import { SignedInOnly } from './signed-out-notice';

export async function SiteHeader() {
  const session = await getSession();
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link href="/" className="brand" aria-label="Cubby, home">
          <Logo />
          <span className="brand-name">Cubby</span>
        </Link>
        <nav aria-label="Account" className="header-nav">
          {session ? (
            <SignedInOnly>
              <Link href="/files" className="nav-link">
                Files
              </Link>
              <Link href="/profile" className="nav-link" data-testid="signed-in-as">
                {session.email || session.username}
              </Link>
              <SignOutButton />
            </SignedInOnly>
          ) : (
            // Plain link, not <Link>: sign-in is a full-page redirect to the managed-login pages.
            <a href="/auth/login?returnTo=%2Ffiles" className="button button-primary" data-testid="sign-in">
              Sign in
            </a>
          )}
        </nav>
      </div>
    </header>
  );
}
