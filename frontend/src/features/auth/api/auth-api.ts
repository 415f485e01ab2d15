import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';

import { zSetupStatus } from '@/lib/api/zod.gen';
import { api } from '@/lib/api-client';
import { type Session, SessionSchema, useStartSession } from '@/lib/auth';

export const LoginInputSchema = z.object({
  email: z.email('Enter a valid email address'),
  password: z.string().min(1, 'Enter your password'),
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

export const SetupInputSchema = z.object({
  team_name: z.string().trim().min(1, 'Enter a team name').max(120),
  name: z.string().trim().min(1, 'Enter your name').max(120),
  email: z.email('Enter a valid email address'),
  password: z.string().min(10, 'Use at least 10 characters'),
});
export type SetupInput = z.infer<typeof SetupInputSchema>;


export const setupStatusQuery = {
  queryKey: ['auth', 'setup'] as const,
  queryFn: () => api.request('/api/v1/auth/setup', zSetupStatus, { anonymous: true }),
  staleTime: 60_000,
};

export function useSetupStatus() {
  return useQuery(setupStatusQuery);
}

export function login(input: LoginInput): Promise<Session> {
  return api.request('/api/v1/auth/login', SessionSchema, { method: 'POST', body: input, anonymous: true });
}

export function setup(input: SetupInput): Promise<Session> {
  return api.request('/api/v1/auth/setup', SessionSchema, { method: 'POST', body: input, anonymous: true });
}

export function useLogin(onSuccess?: () => void) {
  const startSession = useStartSession();
  return useMutation({ mutationFn: login, onSuccess: (session) => { startSession(session); onSuccess?.(); } });
}

export function useSetup(onSuccess?: () => void) {
  const startSession = useStartSession();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setup,
    onSuccess: (session) => {
      queryClient.setQueryData(setupStatusQuery.queryKey, { needed: false });
      startSession(session);
      onSuccess?.();
    },
  });
}
