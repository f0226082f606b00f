import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { type SignInQuery, signInPage } from '@/lib/auth/sign-in-page';
import { getSession } from '@/lib/dal';
import { CompanySignIn } from './company-sign-in';
import styles from './sign-in.module.css';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<SignInQuery> }) {
  const page = signInPage(await searchParams);
  if (await getSession()) redirect(page.returnTo);
  // Nothing to choose (no provider configured): straight to the managed-login page, as before.
  if (page.buttons.length === 0 && !page.company) redirect(page.emailHref);
  return (
    <section className={`container ${styles.page}`} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Cubby</h1>
      {page.problem ? (
        <p role="alert" className={styles.problem} data-testid="sign-in-problem">
          {page.problem}
        </p>
      ) : null}
      <div className={`card ${styles.options}`}>
        {/* Plain links, not <Link>: each is a full-page redirect to Cognito (no form, so CSP form-action stays tight). */}
        {page.buttons.map((button) => (
          <a key={button.name} href={button.href} className="button button-quiet button-large">
            {button.label}
          </a>
        ))}
        {page.companyMatch ? (
          <a href={page.companyMatch.href} className="button button-primary button-large">
            {page.companyMatch.label}
          </a>
        ) : null}
        {page.company ? <CompanySignIn returnTo={page.returnTo} /> : null}
        <p className={styles.divider}>
          <span>or</span>
        </p>
        <a href={page.emailHref} className="button button-quiet button-large">
          Sign in with email
        </a>
      </div>
    </section>
  );
}
