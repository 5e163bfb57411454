import { useEffect, type ReactNode } from 'react';

/** A page's frame: heading, optional actions on the right, the document title. */
export function Page({ title, crumbs, actions, children }: { title: string; crumbs?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Sluice`;
  }, [title]);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          {crumbs && <div className="crumbs">{crumbs}</div>}
          <h1>{title}</h1>
        </div>
        <div className="spacer" />
        {actions}
      </div>
      {children}
    </div>
  );
}
