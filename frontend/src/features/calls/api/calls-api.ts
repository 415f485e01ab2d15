import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';

import type { Analysis } from '@/lib/api/types.gen';
import { zAnalysis } from '@/lib/api/zod.gen';
import { api } from '@/lib/api-client';
import { CallPageSchema, CallSchema, SuggestionListSchema, TranscriptSchema } from '@/types/api';

export interface CallFilters {
  q?: string;
  page: number;
  per_page: number;
  from?: string;
  to?: string;
  user_id?: string;
  state?: string;
}

export type { Analysis };

/** The review beside the rubric (rules without an AI key, the model with one). */
export const ReviewSchema = z.object({
  what_worked: z.array(z.string()).default([]),
  missed_opportunities: z.array(z.object({ moment: z.string(), instead: z.string().default('') })).default([]),
  tips: z.array(z.string()).default([]),
  outcome: z.object({ label: z.string(), reason: z.string().default('') }).nullish(),
  origin: z.enum(['rules', 'llm']).catch('rules'),
});
export type Review = z.infer<typeof ReviewSchema>;

export const callKeys = {
  all: ['calls'] as const,
  list: (filters: CallFilters) => ['calls', 'list', filters] as const,
  detail: (id: string) => ['calls', id] as const,
  transcript: (id: string) => ['calls', id, 'transcript'] as const,
  suggestions: (id: string) => ['calls', id, 'suggestions'] as const,
  analysis: (id: string) => ['calls', id, 'analysis'] as const,
};

export function useCalls(filters: CallFilters) {
  return useQuery({
    queryKey: callKeys.list(filters),
    queryFn: ({ signal }) => api.get('/api/v1/calls', CallPageSchema, { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCall(id: string) {
  return useQuery({ queryKey: callKeys.detail(id), queryFn: () => api.get(`/api/v1/calls/${encodeURIComponent(id)}`, CallSchema) });
}

export function useTranscript(id: string) {
  return useQuery({
    queryKey: callKeys.transcript(id),
    queryFn: () => api.get(`/api/v1/calls/${encodeURIComponent(id)}/transcript`, TranscriptSchema),
  });
}

export function useCallSuggestions(id: string) {
  return useQuery({
    queryKey: callKeys.suggestions(id),
    queryFn: () => api.get(`/api/v1/calls/${encodeURIComponent(id)}/suggestions`, SuggestionListSchema),
  });
}

/** Polls while the analysis is still being produced. */
export function useAnalysis(id: string) {
  return useQuery({
    queryKey: callKeys.analysis(id),
    queryFn: () => api.get(`/api/v1/calls/${encodeURIComponent(id)}/analysis`, zAnalysis),
    refetchInterval: (query) => (['pending', 'running'].includes(query.state.data?.status ?? '') ? 3000 : false),
  });
}

export interface CallPatch {
  title?: string;
  notes?: string | null;
  outcome?: string | null;
  goal?: string | null;
  prospect_name?: string | null;
  prospect_company?: string | null;
}

export function useUpdateCall(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: CallPatch) =>
      api.patch(`/api/v1/calls/${encodeURIComponent(id)}`, CallSchema, patch),
    onSuccess: (call) => {
      queryClient.setQueryData(callKeys.detail(id), call);
      void queryClient.invalidateQueries({ queryKey: ['calls', 'list'] });
    },
  });
}

export function useDeleteCall() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/calls/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: callKeys.all }),
  });
}

export function useRerunAnalysis(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post(`/api/v1/calls/${encodeURIComponent(id)}/analysis`, zAnalysis),
    onSuccess: (analysis) => queryClient.setQueryData(callKeys.analysis(id), analysis),
  });
}

export function useOverrideScores(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (scores: Record<string, number | null>) =>
      api.patch(`/api/v1/calls/${encodeURIComponent(id)}/analysis/scores`, zAnalysis, scores),
    onSuccess: (analysis) => queryClient.setQueryData(callKeys.analysis(id), analysis),
  });
}

export function useSuggestionFeedback(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ suggestionId, action }: { suggestionId: string; action: 'used' | 'dismissed' }) =>
      api.post(`/api/v1/calls/${encodeURIComponent(id)}/suggestions/${encodeURIComponent(suggestionId)}/feedback`, null, { action }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: callKeys.suggestions(id) }),
  });
}

export type ExportFormat = 'json' | 'csv' | 'pdf';

/** Fetch the export with the Bearer header and hand it to the browser as a download. */
export async function downloadExport(id: string, format: ExportFormat): Promise<void> {
  const blob = await api.blob(`/api/v1/calls/${encodeURIComponent(id)}/export`, { format });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `call-${id}.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
