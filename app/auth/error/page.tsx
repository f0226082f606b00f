import type { Metadata } from 'next';
import Link from 'next/link';
import { isErrorCode, userMessage } from '@/lib/errors';

export const metadata: Metadata = { title: 'Sign-in problem' };

const TITLES: Partial<Record<string, string>> = {
  idp_unavailable: 'Sign-in is unavailable right now',
  session_ended: 'Please sign in again',
  login_expired: 'That sign-in expired',
  login_denied: 'Sign-in was cancelled',
  rate_limited: 'Too many sign-in attempts',
};

export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ code?: string | string[] }> }) {
  const raw = (await searchParams).code;
  const code = isErrorCode(raw) ? raw : 'login_failed';
  return (
    <section className="container status-page" aria-labelledby="auth-error-title">
      <h1 id="auth-error-title">{TITLES[code] ?? 'We could not sign you in'}</h1>
      <p>{userMessage(code)}</p>
      <p className="status-code">Reference: {code}</p>
      <div className="hero-actions">
        <a href="/auth/login" className="button button-primary">
          Try again
        </a>
        <Link href="/" className="button button-quiet">
          Back to Cubby
        </Link>
      </div>
    </section>
  );
}
