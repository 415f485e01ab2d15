import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';

import { api, ApiError } from '@/lib/api-client';

export const VoiceProfileSchema = z.object({
  method: z.enum(['recorded', 'learned']),
  samples: z.number(),
  seconds: z.number(),
  updated_at: z.string(),
});
export type VoiceProfile = z.infer<typeof VoiceProfileSchema>;

const PATH = '/api/v1/users/me/voice-profile';
const key = ['voice-profile'] as const;

/** The caller's voice profile, or null when there is none (404 no_voice_profile). */
export function useVoiceProfile() {
  return useQuery({
    queryKey: key,
    queryFn: async () => {
      try {
        return await api.get(PATH, VoiceProfileSchema);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

export function useRecordVoiceProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (pcm: ArrayBuffer) => api.request(PATH, VoiceProfileSchema, { method: 'PUT', binary: pcm }),
    onSuccess: (profile) => client.setQueryData(key, profile),
  });
}

export function useDeleteVoiceProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(PATH),
    onSuccess: () => client.setQueryData(key, null),
  });
}
