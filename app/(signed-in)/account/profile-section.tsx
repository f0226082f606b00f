'use client';

import type { FormEvent } from 'react';
import { MAX_NAME_LENGTH } from '@/lib/account/limits';
import styles from './account.module.css';
import { updateProfile } from './actions';
import { StatusLine } from './form-status';
import { useAccountAction } from './use-account-action';

/** The person's names, saved to Cognito (UpdateUserAttributes). */
export function ProfileSection({
  name,
  givenName,
  familyName,
  federatedWith,
}: {
  name: string;
  givenName: string;
  familyName: string;
  federatedWith: string | null;
}) {
  const { pending, status, run } = useAccountAction();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get('name') ?? ''),
      givenName: String(form.get('givenName') ?? ''),
      familyName: String(form.get('familyName') ?? ''),
    };
    run(() => updateProfile(input), 'Your name was saved.');
  }

  return (
    <section className={`card ${styles.section}`} aria-labelledby="account-profile">
      <h2 id="account-profile" className="section-heading">
        Your name
      </h2>
      {federatedWith ? (
        <p className="muted">You sign in with {federatedWith}, which may set your name again when you next sign in.</p>
      ) : null}
      <form className={styles.form} onSubmit={submit}>
        <div className={styles.field}>
          <label htmlFor="account-name">Name others see</label>
          <input
            id="account-name"
            name="name"
            className="text-input"
            defaultValue={name}
            required
            maxLength={MAX_NAME_LENGTH}
            autoComplete="name"
          />
        </div>
        <div className={styles.field}>
          <label htmlFor="account-given-name">Given name</label>
          <input
            id="account-given-name"
            name="givenName"
            className="text-input"
            defaultValue={givenName}
            maxLength={MAX_NAME_LENGTH}
            autoComplete="given-name"
          />
        </div>
        <div className={styles.field}>
          <label htmlFor="account-family-name">Family name</label>
          <input
            id="account-family-name"
            name="familyName"
            className="text-input"
            defaultValue={familyName}
            maxLength={MAX_NAME_LENGTH}
            autoComplete="family-name"
          />
        </div>
        <div className={styles.row}>
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? 'Saving…' : 'Save name'}
          </button>
        </div>
        <StatusLine status={status} testId="profile-status" />
      </form>
    </section>
  );
}
