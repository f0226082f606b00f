import Link from 'next/link';

/** What every link that does not work shows, whether it never existed, was revoked or has ended: no hint which. */
export default function ShareGone() {
  return (
    <section className="container status-page" aria-labelledby="share-gone-title" data-testid="share-gone">
      <h1 id="share-gone-title">This link has expired or was removed</h1>
      <p>Ask the person who shared it for a new link.</p>
      <Link href="/" className="button button-primary">
        Go to Cubby
      </Link>
    </section>
  );
}
