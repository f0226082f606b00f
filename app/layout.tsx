import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { SignedOutNotice } from './_components/signed-out-notice';
import { SiteFooter } from './_components/site-footer';
import { SiteHeader } from './_components/site-header';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Cubby: your files, in your own corner of the cloud', template: '%s · Cubby' },
  description: 'Keep your files in Amazon S3, signed in with Amazon Cognito. Uploads go straight to S3.',
  robots: { index: true, follow: false },
  // A file in public/, not app/icon.svg: Next serves public/ as plain files, while a metadata route
  // goes through the incremental cache, which writes its copy into the server's folder at run time.
  icons: { icon: { url: '/icon.svg', type: 'image/svg+xml' } },
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f7f6f3' },
    { media: '(prefers-color-scheme: dark)', color: '#14151a' },
  ],
  colorScheme: 'light dark',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: the CSP nonce from proxy.ts must reach Next's scripts.
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <SignedOutNotice />
        <main id="main" className="main">
          {children}
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
