'use client';

/** Last-resort error boundary: a friendly message and a digest to quote, never the error's text. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="container status-page" aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p>
        Cubby hit an unexpected problem. Try again; if it keeps happening, quote this reference:{' '}
        <span className="status-code">{error.digest ?? 'unknown'}</span>
      </p>
      <button type="button" className="button button-primary" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
