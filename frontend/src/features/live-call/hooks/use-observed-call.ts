import { useEffect, useReducer } from 'react';
import { z } from 'zod';

import { ClientEvent } from '@/lib/protocol.generated';
import { emitWithAck, getAudioSocket, SocketAckError } from '@/lib/socket';
import { CallSchema, SuggestionSchema, UtteranceSchema } from '@/types/api';

import { bindServerEvents, guidanceFromAck } from '../api/server-events';

import { type Connection, initialLiveCallState, liveCallReducer } from './live-call-reducer';

const JoinAckSchema = z.object({
  call: CallSchema,
  transcript: z.array(UtteranceSchema).default([]),
  suggestions: z.array(SuggestionSchema).default([]),
  guidance: z.unknown().optional(),
});

/** A coach's read-only view of a rep's live call; re-joins after a reconnect. */
export function useObservedCall(callId: string) {
  const [state, dispatch] = useReducer(liveCallReducer, initialLiveCallState);

  useEffect(() => {
    const socket = getAudioSocket();
    let cancelled = false;
    const join = async () => {
      try {
        const ack = JoinAckSchema.parse(await emitWithAck(socket, ClientEvent.CALL_JOIN, { call_id: callId }));
        if (cancelled) return;
        dispatch({
          type: 'joined',
          callId: ack.call.id,
          state: ack.call.state as Connection,
          transcript: ack.transcript,
          suggestions: ack.suggestions,
        });
        const guidance = guidanceFromAck(ack.call.id, ack.guidance);
        if (guidance) dispatch(guidance);
      } catch (error) {
        if (!cancelled) dispatch({ type: 'failed', reason: error instanceof SocketAckError ? error.message : 'Could not join the call.' });
      }
    };
    const onDisconnect = () => dispatch({ type: 'disconnected' });
    const unbind = bindServerEvents(socket, dispatch);
    socket.on('connect', join);
    socket.on('disconnect', onDisconnect);
    dispatch({ type: 'connecting' });
    if (socket.connected) void join();
    else socket.connect();
    return () => {
      cancelled = true;
      unbind();
      socket.off('connect', join);
      socket.off('disconnect', onDisconnect);
      if (socket.connected) socket.emit(ClientEvent.CALL_LEAVE, { call_id: callId }, () => {});
    };
  }, [callId]);

  return state;
}
