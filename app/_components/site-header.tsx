import Link from 'next/link';
import { signInPagePath } from '@/lib/auth/providers';
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
              <Link href="/account" className="nav-link" data-testid="nav-account">
                Account
              </Link>
              {/* Below 540 px the address is hidden and the icon stands for it; the label names both. */}
              <Link
                href="/profile"
                className="nav-link nav-account"
                data-testid="signed-in-as"
                aria-label={`Profile: ${session.email || session.username}`}
              >
                <svg className="nav-account-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  <circle cx="12" cy="8" r="4" />
                  <path d="M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8" />
                </svg>
                <span className="nav-account-name">{session.email || session.username}</span>
              </Link>
              <SignOutButton />
            </SignedInOnly>
          ) : (
            // Plain link, not <Link>: without providers /sign-in is a redirect to the managed-login pages.
            <a href={signInPagePath('/files')} className="button button-primary" data-testid="sign-in">
              Sign in
            </a>
          )}
        </nav>
      </div>
    </header>
  );
}
