import type { Session } from '@/lib/auth/session';
import styles from './account.module.css';

function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** This browser's session: who, since when, and when it ends (times only; no token reaches the page). */
export function SessionSection({ session }: { session: Session }) {
  const rows: [string, string][] = [
    ['Username', session.username],
    ['Groups', session.groups.length > 0 ? session.groups.join(', ') : 'none'],
    ['Signed in', formatTime(session.authTime)],
    ['Tokens expire', formatTime(session.tokensExpireAt)],
    ['Session ends if idle until', formatTime(session.idleExpiresAt)],
    ['Session ends at the latest', formatTime(session.absoluteExpiresAt)],
  ];
  return (
    <section className={`card ${styles.section}`} aria-labelledby="account-session">
      <h2 id="account-session" className="section-heading">
        Session
      </h2>
      <dl className="details" data-testid="session-details">
        {rows.map(([term, value]) => (
          <div key={term} className="details-row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
