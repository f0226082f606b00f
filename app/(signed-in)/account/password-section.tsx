'use client';

import { type FormEvent, useState } from 'react';
import { MAX_PASSWORD_LENGTH } from '@/lib/account/limits';
import { failedPasswordRules, PASSWORD_RULES } from '@/lib/account/password-policy';
import styles from './account.module.css';
import { changePassword } from './actions';
import { StatusLine } from './form-status';
import { useAccountAction } from './use-account-action';

/**
 * Changing the password with the current one. The pool's rules are listed and ticked as they are
 * met (the one declaration in lib/account/password-policy.ts, which the action checks again).
 */
export function PasswordSection() {
  const { pending, status, setStatus, run } = useAccountAction();
  const [next, setNext] = useState('');
  const failed = new Set(failedPasswordRules(next).map((rule) => rule.id));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const input = { current: String(form.get('current') ?? ''), next: String(form.get('next') ?? '') };
    if (failedPasswordRules(input.next).length > 0) {
      setStatus({ ok: false, text: 'The new password does not meet every rule listed.' });
      return;
    }
    run(
      () => changePassword(input),
      'Your password was changed. Use the new one the next time you sign in.',
      () => {
        formElement.reset();
        setNext('');
      },
    );
  }

  return (
    <section className={`card ${styles.section}`} aria-labelledby="account-password">
      <h2 id="account-password" className="section-heading">
        Password
      </h2>
      <form className={styles.form} onSubmit={submit}>
        <div className={styles.field}>
          <label htmlFor="account-current-password">Current password</label>
          <input
            id="account-current-password"
            name="current"
            type="password"
            className="text-input"
            autoComplete="current-password"
            maxLength={MAX_PASSWORD_LENGTH}
            required
          />
        </div>
        <div className={styles.field}>
          <label htmlFor="account-new-password">New password</label>
          <input
            id="account-new-password"
            name="next"
            type="password"
            className="text-input"
            autoComplete="new-password"
            maxLength={MAX_PASSWORD_LENGTH}
            required
            aria-describedby="account-password-rules"
            value={next}
            onChange={(event) => setNext(event.target.value)}
          />
        </div>
        <ul id="account-password-rules" className={styles.rules} aria-label="Password rules">
          {PASSWORD_RULES.map((rule) => (
            <li
              key={rule.id}
              data-rule={rule.id}
              className={failed.has(rule.id) ? styles.rule : `${styles.rule} ${styles.ruleMet}`}
            >
              {rule.label}
              <span className="visually-hidden">{failed.has(rule.id) ? ' (not yet met)' : ' (met)'}</span>
            </li>
          ))}
        </ul>
        <div className={styles.row}>
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? 'Changing…' : 'Change password'}
          </button>
        </div>
        <StatusLine status={status} testId="password-status" />
      </form>
    </section>
  );
}
