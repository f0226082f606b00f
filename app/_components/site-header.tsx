import Link from 'next/link';
import { Logo } from './logo';

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link href="/" className="brand" aria-label="Cubby, home">
          <Logo />
          <span className="brand-name">Cubby</span>
        </Link>
        <nav aria-label="Account" className="header-nav">
          {/* Plain link, not <Link>: sign-in is a full-page redirect to the managed-login pages. */}
          <a href="/auth/login?returnTo=%2Ffiles" className="button button-primary" data-testid="sign-in">
            Sign in
          </a>
        </nav>
      </div>
    </header>
  );
}
