/** A plain form: sign-out is a POST (CSRF-checked by origin) that works without JavaScript. */
export function SignOutButton({ className = 'button button-quiet' }: { className?: string }) {
  return (
    <form action="/auth/logout" method="post">
      <button type="submit" className={className} data-testid="sign-out">
        Sign out
      </button>
    </form>
  );
}
