import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { zAnalyticsReport } from '@/lib/api/zod.gen';
import { api } from '@/lib/api-client';

export type { AnalyticsReport as Analytics } from '@/lib/api/types.gen';

/** Whole days in the viewer's time zone, both included (YYYY-MM-DD). */
export interface Range {
  from: string;
  to: string;
}

/** The browser's IANA time zone, so "today" is the viewer's today. */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Team-wide numbers, or one rep's when repId is set. */
export function useAnalytics(range: Range, repId: string | null) {
  const path = repId ? `/api/v1/analytics/reps/${encodeURIComponent(repId)}` : '/api/v1/analytics/team';
  const query = { ...range, tz: viewerTimeZone() };
  return useQuery({
    queryKey: ['analytics', repId ?? 'team', query],
    queryFn: ({ signal }) => api.get(path, zAnalyticsReport, query, signal),
    placeholderData: keepPreviousData,
  });
}
