import type { MimeFamily } from './format';

/** Glyphs drawn inside the page outline, per MIME family (24×24 grid, stroked). */
const GLYPHS: Record<MimeFamily, string> = {
  image: 'M8 17l2.5-3.5 2 2.5 1.5-2 2 3zM10 10.5a1 1 0 1 0 0.01 0',
  pdf: 'M8 12h8M8 15h8M8 18h5M8 9h3',
  text: 'M8 11h8M8 14h8M8 17h6',
  archive: 'M11 4v2h2v2h-2v2h2v2h-2M10.5 14h3v4h-3z',
  audio: 'M10 18a1.5 1.5 0 1 1 0-0.01M11.5 18v-7l4-1v6M15.5 16a1.5 1.5 0 1 1 0-0.01',
  video: 'M10 11v6l5-3z',
  other: '',
};

/** A file-type icon by MIME family: a page with a glyph, coloured per family. Decorative. */
export function FileIcon({ family }: { family: MimeFamily }) {
  return (
    <svg className={`file-icon file-icon-${family}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path className="file-icon-page" d="M6 2.5h8l4.5 4.5v14.5H6z" />
      <path className="file-icon-fold" d="M14 2.5V7h4.5" />
      {GLYPHS[family] ? <path className="file-icon-glyph" d={GLYPHS[family]} /> : null}
    </svg>
  );
}

const ACTIONS = {
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  rename: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  delete: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v6M14 11v6',
  preview: 'M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0.01 0',
  upload: 'M12 16V4M7 9l5-5 5 5M5 20h14',
  publish: 'M12 3a9 9 0 1 0 0.01 0M3 12h18M12 3c3 3.5 3 14.5 0 18M12 3c-3 3.5-3 14.5 0 18',
  unpublish: 'M12 3a9 9 0 1 0 0.01 0M3 12h18M12 3c3 3.5 3 14.5 0 18M12 3c-3 3.5-3 14.5 0 18M4 4l16 16',
  move: 'M3 6h6l2 2h10v11H3zM10 13.5h7M14 10.5l3 3-3 3',
  share: 'M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1',
} as const;

/** A stroked action glyph (download, rename, move, delete, preview, upload, publish, unpublish, share). Decorative. */
export function ActionIcon({ name }: { name: keyof typeof ACTIONS }) {
  return (
    <svg className="action-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={ACTIONS[name]} />
    </svg>
  );
}
