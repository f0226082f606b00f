import { signInPagePath } from '@/lib/auth/providers';
import { Gallery } from './_components/gallery/gallery';
import { AccountDeletedNotice } from './(signed-in)/account/delete-summary-notice';

const FEATURES = [
  {
    title: 'Straight to S3',
    body: 'Uploads and downloads travel directly between your browser and Amazon S3 through short-lived signed links. Your files never pass through our servers.',
  },
  {
    title: 'Private by default',
    body: 'Every file lands in a folder only you can reach. Amazon IAM enforces it with your own temporary credentials, not just our code.',
  },
  {
    title: 'One sign-in',
    body: 'Sign up and sign in on Amazon Cognito’s own pages. Your tokens stay in encrypted cookies that page scripts cannot read.',
  },
] as const;

/** `?gallery=N`: the gallery page to show (anything else is page 1). */
function galleryPage(value: string | string[] | undefined): number {
  const page = typeof value === 'string' ? Number.parseInt(value, 10) : 1;
  return Number.isSafeInteger(page) && page > 0 ? page : 1;
}

export default async function LandingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { gallery } = await searchParams;
  return (
    <>
      <AccountDeletedNotice />
      <section className="hero container" aria-labelledby="hero-title">
        <p className="eyebrow">File storage on your own AWS account</p>
        <h1 id="hero-title">
          Your files, in <span className="accent">your own cubby</span>.
        </h1>
        <p className="lede">
          Cubby keeps your documents, photos and archives in Amazon S3, behind Amazon Cognito sign-in. Drop files in, find them
          fast, share the ones you choose.
        </p>
        <div className="hero-actions">
          <a href={signInPagePath('/files')} className="button button-primary button-large">
            Get started
          </a>
          <a href="#how-it-works" className="button button-quiet button-large">
            How it works
          </a>
        </div>
      </section>

      <section id="how-it-works" className="container features" aria-labelledby="features-title">
        <h2 id="features-title" className="section-title">
          How it works
        </h2>
        <ul className="feature-grid">
          {FEATURES.map((feature) => (
            <li key={feature.title} className="card">
              <h3>{feature.title}</h3>
              <p>{feature.body}</p>
            </li>
          ))}
        </ul>
      </section>

      <Gallery page={galleryPage(gallery)} />
    </>
  );
}
