import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';

import { zApiKeyCreated, zApiKeyList } from '@/lib/api/zod.gen';
import { api } from '@/lib/api-client';
import { type Role, UserListSchema, UserSchema } from '@/types/api';

export const NewUserSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(120),
  email: z.email('Enter a valid email address'),
  password: z.string().min(10, 'Use at least 10 characters'),
  role: z.enum(['rep', 'coach', 'admin']),
});
export type NewUser = z.infer<typeof NewUserSchema>;


const usersKey = ['users'] as const;
const keysKey = ['api-keys'] as const;

export function useUsers() {
  return useQuery({ queryKey: usersKey, queryFn: () => api.get('/api/v1/users', UserListSchema) });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewUser) => api.post('/api/v1/users', UserSchema, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: { role?: Role; active?: boolean; name?: string } }) =>
      api.patch(`/api/v1/users/${encodeURIComponent(id)}`, UserSchema, patch),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useApiKeys() {
  return useQuery({ queryKey: keysKey, queryFn: () => api.get('/api/v1/api-keys', zApiKeyList) });
}

/** The full key is in this mutation's result only: it is shown once and never stored. */
export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post('/api/v1/api-keys', zApiKeyCreated, { name }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keysKey }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keysKey }),
  });
}
