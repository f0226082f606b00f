import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="container status-page" aria-labelledby="not-found-title">
      <h1 id="not-found-title">We couldn’t find that page</h1>
      <p>The link may be old, or the page may have moved.</p>
      <Link href="/" className="button button-primary">
        Back to Cubby
      </Link>
    </section>
  );
}
