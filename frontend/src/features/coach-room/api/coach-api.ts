import { useMutation, useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';
import { ClientEvent } from '@/lib/protocol.generated';
import { emitWithAck, getAudioSocket } from '@/lib/socket';
import { CallPageSchema } from '@/types/api';

/** Calls in progress right now, refreshed every few seconds. */
export function useLiveCalls() {
  return useQuery({
    queryKey: ['calls', 'list', { state: 'live' }],
    queryFn: ({ signal }) => api.get('/api/v1/calls', CallPageSchema, { state: 'live', per_page: 100, page: 1 }, signal),
    refetchInterval: 5000,
  });
}

export function useSendWhisper(callId: string) {
  return useMutation({
    mutationFn: (text: string) => emitWithAck(getAudioSocket(), ClientEvent.COACH_WHISPER, { call_id: callId, text }),
  });
}
