import Link from 'next/link';
import { folderHref } from './folder-href';
import { type MoveDragPayload, moveDropTarget } from './move-drag';

/**
 * Where the list is: "Your files" and each folder down to the current one, each a link except the
 * current folder (`aria-current="page"`). Long names wrap rather than widen the page. With
 * `onDropRows`, each link is also a drop target for rows being moved.
 */
export function Breadcrumbs({
  path,
  onDropRows,
}: {
  path: readonly string[];
  /** Rows dragged onto a breadcrumb above the current folder are moved there. */
  onDropRows?: (destination: string[], payload: MoveDragPayload) => void;
}) {
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
              <Link
                href={folderHref(crumb.path)}
                {...(onDropRows ? moveDropTarget((payload) => onDropRows([...crumb.path], payload)) : {})}
              >
                {crumb.name}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
