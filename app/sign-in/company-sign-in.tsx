'use client';

import type { FormEvent } from 'react';
import styles from './sign-in.module.css';

/**
 * "Continue with your company account": the person types their work email; only its domain goes
 * to `/auth/login?domain=…`, which sends it to Cognito as `idp_identifier` when a configured
 * provider serves it, and back here with a message when none does. The browser navigates there
 * itself (a link-like navigation, not a form submission, so the redirects on to the company's
 * provider are not held to CSP form-action). Without JavaScript the form asks this page, which
 * shows the provider found.
 */
export function CompanySignIn({ returnTo }: { returnTo: string }) {
  function go(event: FormEvent<HTMLFormElement>) {
    const email = String(new FormData(event.currentTarget).get('email') ?? '').trim();
    const at = email.lastIndexOf('@');
    if (at <= 0) return;
    event.preventDefault();
    window.location.assign(`/auth/login?${new URLSearchParams({ domain: email.slice(at + 1), returnTo })}`);
  }

  return (
    <form action="/sign-in" method="get" className={styles.company} onSubmit={go}>
      <input type="hidden" name="returnTo" value={returnTo} />
      <label htmlFor="company-email">Work email</label>
      <input
        id="company-email"
        name="email"
        type="email"
        required
        autoComplete="email"
        inputMode="email"
        placeholder="you@company.com"
        className="text-input"
      />
      <button type="submit" className="button button-primary button-large">
        Continue with your company account
      </button>
    </form>
  );
}
