import type { ReactNode } from 'react';

import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/status';
import { correctSpeaker } from '@/lib/speaker';

import type { AudioSource } from '../api/live-session';
import type { LevelStore } from '../hooks/level-store';
import { type StartOptions, useLiveCall } from '../hooks/use-live-call';
import type { LiveCallState } from '../model/live-call-reducer';

import { CallSetup } from './call-setup';
import { ConsentBanner } from './consent-banner';
import { LevelMeter } from './level-meter';
import { LiveCallBoard } from './live-call-board';
import { MuteButton } from './mute-button';
import { NudgeToasts } from './side-panels';

function flipper(callId: string | null, active: boolean) {
  if (!callId || !active) return undefined;
  return (line: { utterance_id: string }, source: 'rep' | 'prospect') =>
    void correctSpeaker(callId, line.utterance_id, source).catch(() => undefined);
}

const SOURCE_LABEL: Record<AudioSource, { meter: string; mute: string }> = {
  rep: { meter: 'Your mic', mute: 'your mic' },
  prospect: { meter: 'Meeting tab', mute: 'the meeting tab' },
};

interface SourceControlProps {
  source: AudioSource;
  store: LevelStore;
  muted: boolean;
  onMute?: (muted: boolean) => void;
}

function SourceControl({ source, store, muted, onMute }: SourceControlProps) {
  return (
    <div className="source-control">
      <LevelMeter store={store} label={SOURCE_LABEL[source].meter} muted={muted} />
      {onMute ? <MuteButton label={SOURCE_LABEL[source].mute} muted={muted} onChange={onMute} /> : null}
    </div>
  );
}

/** The setup form, with how the last call ended. */
function BeforeCall({ state, onStart }: { state: LiveCallState; onStart: (options: StartOptions) => void }) {
  return (
    <>
      {state.connection === 'failed' && state.reason ? (
        <p className="error-message" role="alert">
          {state.reason}
        </p>
      ) : null}
      {state.connection === 'ended' ? <p role="status">Call ended. Its analysis will appear under Calls.</p> : null}
      <CallSetup onStart={onStart} busy={state.connection === 'connecting'} />
    </>
  );
}

/** The rep's page: set up, run and stop a coached call. `toolkit` is shown beside it during the call. */
export function LiveCallPage({ toolkit }: { toolkit?: ReactNode }) {
  const { state, active, levels, sources, start, stop, sendFeedback, dismissNudge, setMuted, consent, confirmConsent } = useLiveCall();
  const showBoard = state.callId !== null;
  return (
    <div className="live-page">
      <div className="live-header">
        <h1>Live call</h1>
        {active ? (
          <div className="live-controls">
            {sources.map((source) => (
              <SourceControl
                key={source}
                source={source}
                store={levels[source]}
                muted={Boolean(state.muted[source])}
                onMute={state.callId ? (muted) => setMuted(source, muted) : undefined}
              />
            ))}
            <Button variant="danger" onClick={() => void stop()}>
              End call
            </Button>
          </div>
        ) : null}
      </div>
      {!active ? <BeforeCall state={state} onStart={(options) => void start(options)} /> : null}
      <ConsentBanner consent={consent} onConfirm={confirmConsent} />
      {state.connection === 'connecting' && !showBoard ? <Spinner label="Connecting…" /> : null}
      {showBoard ? (
        <LiveCallBoard
          state={state}
          onFeedback={active ? sendFeedback : undefined}
          toolkit={active ? toolkit : undefined}
          onFlip={flipper(state.callId, active)}
        />
      ) : null}
      <NudgeToasts nudges={state.nudges} onDismiss={dismissNudge} />
    </div>
  );
}
