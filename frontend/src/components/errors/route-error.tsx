import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

import { errorText } from '@/components/ui/status';

/** Shown in place of a route area that threw; the rest of the app keeps working. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorText(error);
  return (
    <div className="route-error" role="alert">
      <h2>This page hit a problem</h2>
      <p>{message}</p>
      <p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>{' '}
        <Link to="/">Go to the start page</Link>
      </p>
    </div>
  );
}
