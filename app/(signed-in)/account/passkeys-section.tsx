/** Placeholder until the passkeys/delete-account work lands (issue 15). */
export async function PasskeysSection() {
  return null;
}
