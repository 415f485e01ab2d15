import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';

import { type Role, type User, UserSchema } from '@/types/api';

import { zTokenPair } from './api/zod.gen';
import { api, ApiError } from './api-client';
import { closeAudioSocket } from './socket';
import { tokens } from './token-store';

export const userQueryKey = ['auth', 'me'] as const;

export const SessionSchema = zTokenPair;
export type Session = z.output<typeof zTokenPair>;

/** The signed-in user, or null when there is no valid session. */
export async function getUser(): Promise<User | null> {
  if (!tokens.accessToken && !tokens.refreshToken) return null;
  try {
    return await api.get('/api/v1/auth/me', UserSchema);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useUser() {
  return useQuery({ queryKey: userQueryKey, queryFn: getUser, staleTime: 5 * 60_000 });
}

/** Store the tokens of a fresh login / setup and publish the user to the cache. */
export function useStartSession() {
  const queryClient = useQueryClient();
  return (session: Session) => {
    tokens.setTokens(session.access_token, session.refresh_token);
    queryClient.setQueryData(userQueryKey, session.user);
  };
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.post('/api/v1/auth/logout', null);
      } catch {
        // The session ends locally whatever the server says.
      }
    },
    onSettled: () => {
      closeAudioSocket();
      tokens.clear();
      // Publish "no user" to the mounted guards (a clear() would detach their observers and
      // leave the page up), then drop every other cached response of the old session.
      queryClient.setQueryData(userQueryKey, null);
      queryClient.removeQueries({ predicate: (query) => query.queryHash !== JSON.stringify(userQueryKey) });
    },
  });
}

export function hasRole(user: User | null | undefined, roles: readonly Role[]): boolean {
  return Boolean(user && roles.includes(user.role));
}
