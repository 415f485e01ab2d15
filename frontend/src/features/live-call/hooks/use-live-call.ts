import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';

import { api } from '@/lib/api-client';
import { chooseAudioFormat, createAudioSender } from '@/lib/audio/audio-encoding';
import { type Capture, openMicrophone, openTabAudio, startCapture } from '@/lib/audio/capture';
import { ClientEvent } from '@/lib/protocol.generated';
import { getAudioSocket } from '@/lib/socket';
import type { Consent } from '@/types/consent';

import { type AudioSource, type CallSetupFields, LiveSession } from '../api/live-session';
import { initialLiveCallState, liveCallReducer } from '../model/live-call-reducer';

import { LevelStore } from './level-store';

export interface StartOptions {
  title: string;
  setup?: CallSetupFields;
  deviceId?: string;
  shareTab: boolean;
}

function stopStreams(streams: MediaStream[]): void {
  streams.forEach((stream) => stream.getTracks().forEach((track) => track.stop()));
}

/** The rep's side of a live call: capture, session, and all call state in one reducer. */
export function useLiveCall() {
  const [state, dispatch] = useReducer(liveCallReducer, initialLiveCallState);
  const session = useRef<LiveSession | null>(null);
  const captures = useRef<Capture[]>([]);
  const startedAt = useRef(0);
  const [sources, setSources] = useState<AudioSource[]>([]);
  const levels = useMemo(() => ({ rep: new LevelStore(), prospect: new LevelStore() }), []);
  const [consent, setConsent] = useState<Consent | null>(null);

  const stopCapture = useCallback(() => {
    captures.current.splice(0).forEach((capture) => capture.stop());
    levels.rep.reset();
    levels.prospect.reset();
  }, [levels]);

  const start = useCallback(
    async ({ title, setup, deviceId, shareTab }: StartOptions) => {
      const streams: MediaStream[] = [];
      try {
        dispatch({ type: 'connecting' });
        streams.push(await openMicrophone(deviceId));
        if (shareTab) streams.push(await openTabAudio());
        const sources: AudioSource[] = shareTab ? ['rep', 'prospect'] : ['rep'];
        setConsent(null);
        setSources(sources);
        const audio = await chooseAudioFormat();
        const live = new LiveSession({
          socket: getAudioSocket(),
          dispatch,
          title,
          setup,
          sources,
          audio,
          refreshAuth: api.refresh,
          onConsent: setConsent,
        });
        session.current = live;
        await live.start();
        startedAt.current = Date.now();
        for (const [index, source] of sources.entries()) {
          const sender = createAudioSender(audio, (chunk) => live.sendAudio(source, chunk));
          const capture = await startCapture(streams[index]!, {
            onChunk: sender.push,
            onLevel: (level) => levels[source].set(level),
          });
          captures.current.push({
            stop: () => {
              capture.stop();
              sender.close(); // the last packets go out before call:stop
            },
          });
        }
      } catch (error) {
        stopStreams(streams);
        stopCapture();
        session.current?.detach();
        session.current = null;
        dispatch({ type: 'failed', reason: error instanceof Error ? error.message : 'Could not start the call.' });
      }
    },
    [levels, stopCapture],
  );

  const stop = useCallback(async () => {
    stopCapture();
    const live = session.current;
    // A gap still open when the call ends closes at the end.
    for (const source of ['rep', 'prospect'] as const) {
      if (live?.isMuted(source)) dispatch({ type: 'mute', source, muted: false, elapsedS: (Date.now() - startedAt.current) / 1000 });
    }
    session.current = null;
    try {
      await live?.stop();
    } catch {
      dispatch({ type: 'stopped' });
    }
  }, [stopCapture]);

  const sendFeedback = useCallback(
    (suggestionId: string, action: 'used' | 'dismissed') => {
      dispatch({ type: 'feedback', suggestionId, action });
      const callId = session.current?.id;
      if (callId) {
        getAudioSocket().emit(ClientEvent.SUGGESTION_FEEDBACK, { call_id: callId, suggestion_id: suggestionId, action }, () => {});
      }
    },
    [],
  );

  const confirmConsent = useCallback(async () => {
    await session.current?.confirmConsent();
  }, []);

  /** Mute or unmute one source: its audio stops going out and the transcript shows the gap. */
  const setMuted = useCallback((source: AudioSource, muted: boolean) => {
    const live = session.current;
    if (!live) return;
    live.setMuted(source, muted);
    dispatch({ type: 'mute', source, muted, elapsedS: (Date.now() - startedAt.current) / 1000 });
  }, []);

  const dismissNudge = useCallback((id: number) => dispatch({ type: 'dismissNudge', id }), []);

  // Leaving the page ends the call cleanly.
  useEffect(
    () => () => {
      void stop();
    },
    [stop],
  );

  const active = ['connecting', 'live', 'degraded', 'reconnecting'].includes(state.connection);
  // The server ended or interrupted the call, or a resume was refused: release the mic.
  useEffect(() => {
    if (state.callId && !active) {
      stopCapture();
      session.current?.detach();
      session.current = null;
    }
  }, [active, state.callId, stopCapture]);
  useEffect(() => {
    if (!active) return undefined;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);

  // The consent notice belongs to the running call only.
  return {
    state,
    active,
    levels,
    sources,
    start,
    stop,
    sendFeedback,
    dismissNudge,
    setMuted,
    consent: active ? consent : null,
    confirmConsent,
  };
}
