'use client';

import { announceSignOut } from './session-state';

/**
 * A plain form: sign-out is a POST (CSRF-checked by origin) that works without JavaScript. With
 * JavaScript, the browser's other Cubby tabs hear of it at once and show "signed out".
 */
export function SignOutButton({ className = 'button button-quiet' }: { className?: string }) {
  return (
    <form action="/auth/logout" method="post" onSubmit={announceSignOut}>
      <button type="submit" className={className} data-testid="sign-out">
        Sign out
      </button>
    </form>
  );
}
