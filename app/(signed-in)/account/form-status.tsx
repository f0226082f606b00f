import styles from './account.module.css';
import type { FormStatus } from './use-account-action';

/** A form's status line, announced politely; failures in the error colour. */
export function StatusLine({ status, testId }: { status: FormStatus | null; testId: string }) {
  return (
    <p className={status && !status.ok ? 'field-error' : `muted ${styles.status}`} role="status" data-testid={testId}>
      {status?.text ?? ''}
    </p>
  );
}
