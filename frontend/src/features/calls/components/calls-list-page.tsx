import { type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';

import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { EmptyState, ErrorMessage, Spinner } from '@/components/ui/status';
import { formValues } from '@/utils/form';
import { formatDateTime, formatDuration } from '@/utils/format';

import { type CallFilters, useCalls } from '../api/calls-api';

const PER_PAGE = 25;
const STATES = ['', 'live', 'degraded', 'reconnecting', 'ended', 'interrupted'];

function filtersFrom(params: URLSearchParams): CallFilters {
  return {
    q: params.get('q') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    state: params.get('state') ?? undefined,
    user_id: params.get('user_id') ?? undefined,
    page: Math.max(1, Number(params.get('page') ?? 1) || 1),
    per_page: PER_PAGE,
  };
}

/** Call history: full-text search, filters and pages, all kept in the URL. */
export function CallsListPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const calls = useCalls(filters);
  const totalPages = calls.data ? Math.max(1, Math.ceil(calls.data.total / calls.data.per_page)) : 1;

  const onSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.entries(formValues(event.currentTarget)).filter(([, v]) => v !== '');
    setParams(new URLSearchParams(values));
  };
  const goTo = (page: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(page));
    setParams(next);
  };

  return (
    <div>
      <h1>Calls</h1>
      <form className="filters" role="search" aria-label="Search calls" onSubmit={onSearch} key={params.toString()}>
        <TextField label="Search transcripts and titles" name="q" type="search" defaultValue={filters.q} />
        <TextField label="From" name="from" type="date" defaultValue={filters.from} />
        <TextField label="To" name="to" type="date" defaultValue={filters.to} />
        <SelectField label="State" name="state" defaultValue={filters.state ?? ''} options={STATES.map((s) => ({ value: s, label: s || 'Any' }))} />
        <Button type="submit">Search</Button>
      </form>
      {calls.isPending ? <Spinner /> : null}
      <ErrorMessage error={calls.error} />
      {calls.data && calls.data.items.length === 0 ? <EmptyState title="No calls match." /> : null}
      {calls.data && calls.data.items.length > 0 ? (
        <>
          <table className="table">
            <caption className="visually-hidden">Calls, page {filters.page} of {totalPages}</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Rep</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">State</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {calls.data.items.map((call) => (
                <tr key={call.id}>
                  <td>
                    <Link to={`/calls/${encodeURIComponent(call.id)}`}>{call.title || 'Untitled call'}</Link>
                    {call.snippet ? <div className="snippet">{call.snippet}</div> : null}
                  </td>
                  <td>{call.user?.name ?? '–'}</td>
                  <td>{formatDateTime(call.started_at)}</td>
                  <td>{formatDuration(call.duration_s)}</td>
                  <td><span className={`badge state-${call.state}`}>{call.state}</span></td>
                  <td>{call.outcome ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages">
            <Button variant="secondary" disabled={filters.page <= 1} onClick={() => goTo(filters.page - 1)}>
              Previous
            </Button>
            <span>
              Page {filters.page} of {totalPages} ({calls.data.total} calls)
            </span>
            <Button variant="secondary" disabled={filters.page >= totalPages} onClick={() => goTo(filters.page + 1)}>
              Next
            </Button>
          </nav>
        </>
      ) : null}
    </div>
  );
}
