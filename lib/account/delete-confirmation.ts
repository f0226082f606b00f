/**
 * What a person types to confirm deleting their account, one rule for the form (which enables its
 * button) and the server action (which decides). Pure and client-safe.
 */

/** What the person must type: their email address when Cubby knows it, else `DELETE`. */
export function deletionConfirmationFor(email: string | null): string {
  return email ?? 'DELETE';
}

/**
 * Whether `typed` confirms deleting the account of a person with `email`: {@link deletionConfirmationFor}'s
 * answer, ignoring surrounding spaces (and, for an email address, case).
 */
export function confirmsDeletion(typed: string, email: string | null): boolean {
  const expected = deletionConfirmationFor(email);
  const given = typed.trim();
  return email ? given.toLowerCase() === expected.toLowerCase() : given === expected;
}
