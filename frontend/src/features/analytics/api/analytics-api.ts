import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { z } from 'zod';

import { api } from '@/lib/api-client';

const num = z.number().nullish().transform((v) => v ?? 0);

export const AnalyticsSchema = z.object({
  reps: z
    .array(
      z.object({
        user_id: z.union([z.string(), z.number()]).transform(String),
        name: z.string(),
        calls: num,
        talk_time_s: num,
        avg_talk_ratio: num,
        questions_per_call: num,
        checklist_coverage: num,
        suggestions_shown: num,
        suggestions_used: num,
      }),
    )
    .default([]),
  weekly: z
    .array(z.object({ week: z.string(), calls: num, avg_talk_ratio: num, questions_per_call: num, checklist_coverage: num }))
    .default([]),
  objections: z.array(z.object({ kind_name: z.string(), count: num, used: num })).default([]),
});
export type Analytics = z.infer<typeof AnalyticsSchema>;

export interface Range {
  from: string;
  to: string;
}

/** Team-wide numbers, or one rep's when repId is set. */
export function useAnalytics(range: Range, repId: string | null) {
  const path = repId ? `/api/v1/analytics/reps/${encodeURIComponent(repId)}` : '/api/v1/analytics/team';
  return useQuery({
    queryKey: ['analytics', repId ?? 'team', range],
    queryFn: ({ signal }) => api.get(path, AnalyticsSchema, { ...range }, signal),
    placeholderData: keepPreviousData,
  });
}
