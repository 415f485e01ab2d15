import type { ReactNode } from 'react';

import { ErrorBoundary } from '@/components/errors/error-boundary';
import { type FlipSpeaker, TranscriptList } from '@/components/transcript/transcript-list';

import { type LiveCallState, visibleLines } from '../hooks/live-call-reducer';

import { ConnectionBadge } from './connection-badge';
import { Checklist, MetricsPanel, StageRoadmap } from './metrics-panel';
import { PresenceList, WhisperList } from './side-panels';
import { SuggestionList } from './suggestion-card';

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      <ErrorBoundary fallback={() => <p className="error-message">This panel failed to render.</p>}>{children}</ErrorBoundary>
    </section>
  );
}

interface Props {
  state: LiveCallState;
  onFeedback?: (suggestionId: string, action: 'used' | 'dismissed') => void;
  /** Coach view: names the rep instead of "You". */
  observer?: boolean;
  /** One-microphone calls: flip a line's speaker. */
  onFlip?: FlipSpeaker;
}

/** The coach's view names the rep, and speaks of the rep when flipping a line. */
const OBSERVER_TRANSCRIPT = {
  speakerNames: { rep: 'Rep' },
  flipLabels: { rep: 'The rep said this', prospect: 'The prospect said this' },
};

/** Everything shown during a call, shared by the rep's page and the coach's read-only view. */
export function LiveCallBoard({ state, onFeedback, observer = false, onFlip }: Props) {
  const lines = visibleLines(state);
  return (
    <div className="live-board">
      <div className="live-status">
        <ConnectionBadge connection={state.connection} reason={state.reason} />
        {state.transcriber ? <span className="muted">Transcriber: {state.transcriber}</span> : null}
        {state.coach ? <span className="muted">Coach: {state.coach}</span> : null}
        <PresenceList coaches={state.coaches} />
      </div>
      <StageRoadmap stage={state.metrics?.stage} />
      <div className="live-columns">
        <Panel title="Transcript">
          {lines.length ? (
            <TranscriptList lines={lines} follow onFlip={onFlip} {...(observer ? OBSERVER_TRANSCRIPT : {})} />
          ) : (
            <p className="muted">The transcript appears here as people speak.</p>
          )}
        </Panel>
        <Panel title="Suggestions">
          <SuggestionList suggestions={state.suggestions} onFeedback={onFeedback} />
        </Panel>
        <Panel title="Delivery">
          <MetricsPanel metrics={state.metrics} />
          <Checklist items={state.metrics?.checklist ?? []} />
          {observer ? null : <WhisperList whispers={state.whispers} />}
        </Panel>
      </div>
    </div>
  );
}
