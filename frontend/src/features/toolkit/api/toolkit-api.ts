import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';

import { api } from '@/lib/api-client';

import { type StageGuidance, StageGuidanceSchema } from './stages-api';

export const KINDS = ['opener', 'objection', 'discovery', 'signal', 'closing', 'reference', 'checklist'] as const;

export const TalkTrackSchema = z.object({ text: z.string(), when_to_use: z.string().default('') });
export type TalkTrack = z.infer<typeof TalkTrackSchema>;

export const ToolkitEntrySchema = z
  .object({
  id: z.union([z.string(), z.number()]).transform(String),
  kind: z.enum(KINDS),
  name: z.string(),
  title: z.string(),
  talk_track: z.string().default(''),
  talk_tracks: z.array(TalkTrackSchema).default([]),
  triggers: z.array(z.string()).default([]),
  negative_triggers: z.array(z.string()).default([]),
  speakers: z.array(z.string()).default([]),
  cooldown_s: z.number().default(0),
  max_per_call: z.number().default(0),
  })
  // An entry from before talk tracks: its one talk track is the first.
  .transform((entry) => ({
    ...entry,
    talk_tracks: entry.talk_tracks.length || !entry.talk_track ? entry.talk_tracks : [{ text: entry.talk_track, when_to_use: '' }],
  }));
export type ToolkitEntry = z.infer<typeof ToolkitEntrySchema>;

const list = (raw: string) =>
  raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);

/** The editor form: free text in, the API's shape out. */
export const ToolkitFormSchema = z.object({
  kind: z.enum(KINDS),
  name: z.string().trim().regex(/^[a-z0-9_-]{1,64}$/, 'Lowercase letters, digits, - and _ only'),
  title: z.string().trim().min(1, 'Enter a title').max(200),
  talk_tracks: z.array(
    z.object({ text: z.string().trim().min(1).max(4000, 'At most 4000 characters'), when_to_use: z.string().trim().max(500, 'At most 500 characters') }),
  ),
  triggers: z.string().transform(list),
  negative_triggers: z.string().transform(list),
  speakers: z.string().transform(list),
  cooldown_s: z.coerce.number().int().min(0).max(3600),
  max_per_call: z.coerce.number().int().min(0).max(100),
}).refine((input) => input.kind === 'checklist' || input.talk_tracks.length > 0, {
  message: 'Add at least one talk track',
  path: ['talk_tracks'],
});
export type ToolkitInput = z.output<typeof ToolkitFormSchema>;

export const ToolkitSchema = z.object({
  items: z.array(ToolkitEntrySchema),
  stages: z.array(StageGuidanceSchema).default([]),
});

const key = ['toolkit'] as const;

export function useToolkit() {
  return useQuery({ queryKey: key, queryFn: () => api.get('/api/v1/toolkit', ToolkitSchema) });
}

/** Replace one stage's guidance (admins). */
export function useSaveStage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ stage, ...body }: StageGuidance) => api.put(`/api/v1/toolkit/stages/${encodeURIComponent(stage)}`, null, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useSaveEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: ToolkitInput }) =>
      id ? api.put(`/api/v1/toolkit/${encodeURIComponent(id)}`, null, input) : api.post('/api/v1/toolkit', null, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}

export function useDeleteEntry() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/toolkit/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}
