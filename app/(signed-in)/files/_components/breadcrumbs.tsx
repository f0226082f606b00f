import Link from 'next/link';
import { folderHref } from './folder-href';

/**
 * Where the list is: "Your files" and each folder down to the current one, each a link except the
 * current folder (`aria-current="page"`). Long names wrap rather than widen the page.
 */
export function Breadcrumbs({ path }: { path: readonly string[] }) {
  const crumbs = [
    { name: 'Your files', path: [] as readonly string[] },
    ...path.map((name, index) => ({ name, path: path.slice(0, index + 1) })),
  ];
  return (
    <nav aria-label="Folder" className="breadcrumbs" data-testid="breadcrumbs">
      <ol>
        {crumbs.map((crumb, index) => (
          <li key={folderHref(crumb.path)}>
            {index === crumbs.length - 1 ? (
              <span aria-current="page">{crumb.name}</span>
            ) : (
              <Link href={folderHref(crumb.path)}>{crumb.name}</Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
