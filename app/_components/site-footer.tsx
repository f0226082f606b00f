import { APP_VERSION } from '@/lib/version';

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container footer-inner">
        <p>
          Cubby <span className="muted">v{APP_VERSION}</span>
        </p>
        <p className="muted">Your files go straight to Amazon S3. Cubby never sees their bytes.</p>
      </div>
    </footer>
  );
}
