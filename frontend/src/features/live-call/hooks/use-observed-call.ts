import { useEffect, useReducer } from 'react';

import { ClientEvent } from '@/lib/protocol.generated';
import { emitWithAck, getAudioSocket, SocketAckError, watchOriginRefusal } from '@/lib/socket';

import { CallJoinAckSchema } from '../api/events';
import { bindServerEvents, dispatchAckGuidance } from '../api/server-events';
import { type Connection, initialLiveCallState, liveCallReducer } from '../model/live-call-reducer';

/** A coach's read-only view of a rep's live call; re-joins after a reconnect. */
export function useObservedCall(callId: string) {
  const [state, dispatch] = useReducer(liveCallReducer, initialLiveCallState);

  useEffect(() => {
    const socket = getAudioSocket();
    let cancelled = false;
    const join = async () => {
      try {
        const ack = CallJoinAckSchema.parse(await emitWithAck(socket, ClientEvent.CALL_JOIN, { call_id: callId }));
        if (cancelled) return;
        dispatch({
          type: 'joined',
          callId: ack.call.id,
          state: ack.call.state as Connection,
          transcript: ack.transcript,
          suggestions: ack.suggestions,
        });
        dispatchAckGuidance(ClientEvent.CALL_JOIN, ack.call.id, ack.guidance, dispatch);
      } catch (error) {
        if (!cancelled) dispatch({ type: 'failed', reason: error instanceof SocketAckError ? error.message : 'Could not join the call.' });
      }
    };
    const onDisconnect = () => dispatch({ type: 'disconnected' });
    const unbind = bindServerEvents(socket, dispatch);
    const unwatch = watchOriginRefusal(socket, (refusal) => {
      socket.disconnect();
      if (!cancelled) dispatch({ type: 'failed', reason: refusal.message });
    });
    socket.on('connect', join);
    socket.on('disconnect', onDisconnect);
    dispatch({ type: 'connecting' });
    if (socket.connected) void join();
    else socket.connect();
    return () => {
      cancelled = true;
      unbind();
      unwatch();
      socket.off('connect', join);
      socket.off('disconnect', onDisconnect);
      if (socket.connected) socket.emit(ClientEvent.CALL_LEAVE, { call_id: callId }, () => {});
    };
  }, [callId]);

  return state;
}
