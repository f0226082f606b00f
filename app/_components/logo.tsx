/** Cubby's mark: a box with a shelf. Decorative; the wordmark beside it carries the name. */
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className="logo">
      <rect x="2" y="2" width="28" height="28" rx="8" className="logo-box" />
      <rect x="8" y="9" width="16" height="6" rx="2" className="logo-shelf" />
      <rect x="8" y="18" width="16" height="6" rx="2" className="logo-shelf logo-shelf-low" />
    </svg>
  );
}
