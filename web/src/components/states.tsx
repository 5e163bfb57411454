import type { ReactNode } from 'react';
import { isApiError } from '../api/api-error';

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <div className="state" role="status">
      {what}…
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state">{children}</div>;
}

/** The one way every view shows a failure: server down, a bad query, an endpoint this server lacks. */
export function ErrorState({ error, what, retry }: { error: Error; what?: string; retry?: () => void }) {
  let title = what ? `Could not load ${what}` : 'Something went wrong';
  let detail = error.message;
  if (isApiError(error)) {
    if (error.code === 'network_error') {
      title = 'The Sluice server is not reachable';
      detail = 'Check that `sluice server` is running; this view retries when you reload.';
    } else if (error.isMissingEndpoint) {
      title = `${what ? capitalize(what) : 'This view'} is not available on this server`;
      detail = `The API endpoint is missing (${error.message}).`;
    }
  }
  return (
    <div className="state error" role="alert">
      <div>
        <strong>{title}</strong>
        {isApiError(error) && error.code !== 'network_error' && <span className="code"> ({error.code})</span>}
      </div>
      <div style={{ whiteSpace: 'pre-wrap', marginTop: 4 }}>{detail}</div>
      {retry && (
        <button className="btn small" style={{ marginTop: 8 }} onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Loading / error / empty / content, in that order, for one request. */
export function RequestView<T>({
  state,
  what,
  isEmpty,
  empty,
  children,
}: {
  state: { data: T | undefined; error: Error | undefined; loading: boolean; reload(): void };
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (state.error && state.data === undefined) return <ErrorState error={state.error} what={what} retry={state.reload} />;
  if (state.data === undefined) return <Loading what={`Loading ${what}`} />;
  if (isEmpty?.(state.data)) return <Empty>{empty ?? `No ${what}.`}</Empty>;
  return <>{children(state.data)}</>;
}
