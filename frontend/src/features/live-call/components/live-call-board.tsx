import type { ReactNode } from 'react';

import { ErrorBoundary } from '@/components/errors/error-boundary';
import { type FlipSpeaker, TranscriptList } from '@/components/transcript/transcript-list';

import './live-board.css';

import { type LiveCallState, visibleLines } from '../model/live-call-reducer';

import { ConnectionBadge } from './connection-badge';
import { GuidancePanel } from './guidance-panel';
import { Checklist, MetricsPanel } from './metrics-panel';
import { PresenceList, WhisperList } from './side-panels';
import { StageRoadmap } from './stage-roadmap';
import { SuggestionList } from './suggestion-card';
import { UnreadableNotice } from './unreadable-notice';

function Panel({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  return (
    <section className={`panel${className ? ` ${className}` : ''}`} aria-label={title}>
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
  /** The team's toolkit, composed in by the app layer (rep view). */
  toolkit?: ReactNode;
  /** One-microphone calls: flip a line's speaker. */
  onFlip?: FlipSpeaker;
}

/** The coach's view names the rep, and speaks of the rep when flipping a line. */
const OBSERVER_TRANSCRIPT = {
  speakerNames: { rep: 'Rep' },
  flipLabels: { rep: 'The rep said this', prospect: 'The prospect said this' },
};

const TRANSCRIPT_HEIGHT = 240;

function StatusLine({ state }: { state: LiveCallState }) {
  return (
    <div className="live-status">
      <ConnectionBadge connection={state.connection} reason={state.reason} />
      {state.transcriber ? <span className="muted">Transcriber: {state.transcriber}</span> : null}
      {state.coach ? <span className="muted">Coach: {state.coach}</span> : null}
      <PresenceList coaches={state.coaches} />
    </div>
  );
}

/**
 * Everything shown during a call, shared by the rep's page and the coach's read-only view:
 * guidance on the left, what is said and the cards in the middle, toolkit and delivery on
 * the right, each column scrolling on its own so the board fits a laptop screen.
 */
export function LiveCallBoard({ state, onFeedback, observer = false, toolkit, onFlip }: Props) {
  const lines = visibleLines(state);
  return (
    <div className="live-board">
      <StatusLine state={state} />
      <UnreadableNotice unreadable={state.unreadable} />
      <StageRoadmap stage={state.metrics?.stage} guidance={state.guidance} />
      <div className="live-columns">
        <Panel title="Guidance" className="live-column">
          <GuidancePanel guidance={state.guidance} />
          <Checklist items={state.metrics?.checklist ?? []} />
        </Panel>
        <div className="live-column live-middle">
          <Panel title="Transcript">
            {lines.length ? (
              <TranscriptList lines={lines} follow height={TRANSCRIPT_HEIGHT} onFlip={onFlip} {...(observer ? OBSERVER_TRANSCRIPT : {})} />
            ) : (
              <p className="muted">The transcript appears here as people speak.</p>
            )}
          </Panel>
          {observer ? null : <WhisperList whispers={state.whispers} />}
          <Panel title="Suggestions" className="grow">
            <SuggestionList suggestions={state.suggestions} onFeedback={onFeedback} />
          </Panel>
        </div>
        <div className="live-column">
          {toolkit ? (
            <Panel title="Toolkit" className="grow">
              {toolkit}
            </Panel>
          ) : null}
          <Panel title="Delivery">
            <MetricsPanel metrics={state.metrics} />
          </Panel>
        </div>
      </div>
    </div>
  );
}
