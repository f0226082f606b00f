import 'server-only';
import { getEnv } from '@/lib/env';
import { buttonProviders, emailDomain, hasCompanyProviders, providerForDomain, type SignInProblem } from './providers';
import { safeReturnTo } from './safe-redirect';

/** What Cubby's sign-in page (`/sign-in`) shows, worked out from its query and the configured providers. */
export interface SignInPage {
  /** Where sign-in comes back to (a safe same-origin path). */
  returnTo: string;
  /** One "Continue with …" link per provider without email domains, in the configured order. */
  buttons: { name: string; label: string; href: string }[];
  /** Whether to offer "Continue with your company account" (some provider serves email domains). */
  company: boolean;
  /** The managed-login page: "Sign in with email". */
  emailHref: string;
  /** A refused choice, in words (no upstream or unchecked text beyond a well-formed domain). */
  problem: string | null;
  /** Without JavaScript the company form comes here with `?email=`: the provider found for it. */
  companyMatch: { label: string; href: string } | null;
}

/** Query parameters of `/sign-in`. */
export interface SignInQuery {
  returnTo?: string | string[];
  problem?: string | string[];
  domain?: string | string[];
  email?: string | string[];
}

function one(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function loginHref(parameters: Record<string, string>): string {
  return `/auth/login?${new URLSearchParams(parameters)}`;
}

/** The words for a refused choice; `domain` is shown only when it is a well-formed domain. */
export function signInProblemText(problem: SignInProblem, domain: string | null): string {
  switch (problem) {
    case 'unknown_provider':
      return 'That sign-in option is not available here. Choose one of the options below.';
    case 'invalid_email':
      return 'That does not look like an email address. Check it and try again.';
    case 'unknown_domain': {
      const safeDomain = domain ? emailDomain(`x@${domain}`) : null;
      return `${safeDomain ? `No company sign-in is set up for ${safeDomain}.` : 'No company sign-in is set up for that address.'} Check the address, or sign in with email.`;
    }
  }
}

function isProblem(value: string | null): value is SignInProblem {
  return value === 'unknown_provider' || value === 'unknown_domain' || value === 'invalid_email';
}

/**
 * The sign-in page for a query: every configured provider's link (through `/auth/login`, which
 * maps it onto the configured list again), the company-email form when a provider serves email
 * domains, and the managed login. With no provider configured there is nothing to choose: the
 * caller redirects to {@link SignInPage.emailHref}. Server only.
 */
export function signInPage(query: SignInQuery): SignInPage {
  const env = getEnv();
  const providers = env.IDENTITY_PROVIDERS;
  const returnTo = safeReturnTo(one(query.returnTo), env.APP_URL);
  const raisedProblem = one(query.problem);
  let problem = isProblem(raisedProblem) ? signInProblemText(raisedProblem, one(query.domain)) : null;
  let companyMatch: SignInPage['companyMatch'] = null;
  const email = one(query.email);
  if (email !== null) {
    const domain = emailDomain(email);
    const provider = domain ? providerForDomain(providers, domain) : undefined;
    if (!domain) problem = signInProblemText('invalid_email', null);
    else if (!provider) problem = signInProblemText('unknown_domain', domain);
    else companyMatch = { label: `Continue with ${provider.displayName}`, href: loginHref({ domain, returnTo }) };
  }
  return {
    returnTo,
    buttons: buttonProviders(providers).map((provider) => ({
      name: provider.name,
      label: `Continue with ${provider.displayName}`,
      href: loginHref({ provider: provider.name, returnTo }),
    })),
    company: hasCompanyProviders(providers),
    emailHref: loginHref({ returnTo }),
    problem,
    companyMatch,
  };
}
