import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/status';

import { useLiveCall } from '../hooks/use-live-call';

import { CallSetup } from './call-setup';
import { ConsentBanner } from './consent-banner';
import { LevelMeter } from './level-meter';
import { LiveCallBoard } from './live-call-board';
import { NudgeToasts } from './side-panels';

/** The rep's page: set up, run and stop a coached call. */
export function LiveCallPage() {
  const { state, active, levels, start, stop, sendFeedback, dismissNudge, consent, confirmConsent } = useLiveCall();
  const showBoard = state.callId !== null;
  return (
    <div className="live-page">
      <div className="live-header">
        <h1>Live call</h1>
        {active ? (
          <div className="live-controls">
            <LevelMeter store={levels.rep} label="Your mic" />
            <LevelMeter store={levels.prospect} label="Meeting tab" />
            <Button variant="danger" onClick={() => void stop()}>
              End call
            </Button>
          </div>
        ) : null}
      </div>
      {!active ? (
        <>
          {state.connection === 'failed' && state.reason ? (
            <p className="error-message" role="alert">
              {state.reason}
            </p>
          ) : null}
          {state.connection === 'ended' ? <p role="status">Call ended. Its analysis will appear under Calls.</p> : null}
          <CallSetup onStart={(options) => void start(options)} busy={state.connection === 'connecting'} />
        </>
      ) : null}
      <ConsentBanner consent={consent} onConfirm={confirmConsent} />
      {state.connection === 'connecting' && !showBoard ? <Spinner label="Connecting…" /> : null}
      {showBoard ? <LiveCallBoard state={state} onFeedback={active ? sendFeedback : undefined} /> : null}
      <NudgeToasts nudges={state.nudges} onDismiss={dismissNudge} />
    </div>
  );
}
