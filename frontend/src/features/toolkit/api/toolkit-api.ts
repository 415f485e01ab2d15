import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';

import { zToolkitEntry, zToolkitList } from '@/lib/api/zod.gen';
import { api } from '@/lib/api-client';

import { type StageGuidance, StageGuidanceSchema } from './stages-api';

/** The kinds the server accepts, in the order the page shows them. */
export const KINDS = zToolkitEntry.shape.kind.options;

/**
 * An entry as the pages use it: the generated validator, with the lists the server always
 * sends (but its input schema lets a client omit) filled in.
 */
export const ToolkitEntrySchema = zToolkitEntry.transform((entry) => ({
  ...entry,
  // An entry from before talk tracks: its one talk track is the first.
  talk_tracks: entry.talk_tracks?.length ? entry.talk_tracks : entry.talk_track ? [{ text: entry.talk_track, when_to_use: '' }] : [],
  triggers: entry.triggers ?? [],
  negative_triggers: entry.negative_triggers ?? [],
  speakers: entry.speakers ?? ['prospect'],
  examples: entry.examples ?? [],
  threshold: entry.threshold ?? null,
}));
export type ToolkitEntry = z.output<typeof ToolkitEntrySchema>;
export type TalkTrack = ToolkitEntry['talk_tracks'][number];

const ToolkitSchema = zToolkitList.extend({
  items: z.array(ToolkitEntrySchema),
  stages: z.array(StageGuidanceSchema),
});

const list = (raw: string) =>
  raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);

/** Examples are whole sentences (commas allowed): one per line. */
const lines = (raw: string) =>
  raw
    .split('\n')
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
  examples: z.string().default('').transform(lines),
  threshold: z
    .string()
    .default('')
    .transform((raw) => (raw.trim() === '' ? null : Number(raw)))
    .refine((value) => value === null || (value >= 0.2 && value <= 0.95), 'Between 0.2 and 0.95, or empty for the default'),
}).refine((input) => input.kind === 'checklist' || input.talk_tracks.length > 0, {
  message: 'Add at least one talk track',
  path: ['talk_tracks'],
});
export type ToolkitInput = z.output<typeof ToolkitFormSchema>;

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
      id ? api.put(`/api/v1/toolkit/${encodeURIComponent(id)}`, ToolkitEntrySchema, input) : api.post('/api/v1/toolkit', ToolkitEntrySchema, input),
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

export const TryEntrySchema = z.object({
  name: z.string(),
  title: z.string(),
  kind: z.string(),
  score: z.number().nullable(),
  threshold: z.number(),
  by: z.string().optional(),
});
export const TryResultSchema = z.object({
  fired: TryEntrySchema.nullable(),
  closest: z.array(TryEntrySchema),
});
export type TryResult = z.infer<typeof TryResultSchema>;

/** "Try a sentence": which entry would fire, by phrase or by meaning, and the closest ones. */
export function useTrySentence() {
  return useMutation({
    mutationFn: (text: string) => api.post('/api/v1/toolkit/try', TryResultSchema, { text, source: 'prospect' }),
  });
}
