import { useNow } from '@/hooks/use-now';
import { formatDuration, formatPercent } from '@/utils/format';

import { type LiveGuidance, timeInStage } from '../model/guidance-state';

const STAGES: Array<{ id: string; label: string }> = [
  { id: 'opening', label: 'Opening' },
  { id: 'discovery', label: 'Discovery' },
  { id: 'pitch', label: 'Pitch' },
  { id: 'objection_handling', label: 'Objections' },
  { id: 'close', label: 'Close' },
];

function StageClock({ guidance }: { guidance: LiveGuidance }) {
  const now = useNow();
  const confidence = guidance.stage_confidence;
  return (
    <span className="stage-detail">
      {confidence !== null && confidence !== undefined ? <span title="How sure the coach is of the stage">{formatPercent(confidence)} sure</span> : null}
      <span>
        <span className="visually-hidden">Time in stage </span>
        {formatDuration(timeInStage(guidance, now))}
      </span>
    </span>
  );
}

/**
 * Where the call is: the guidance's stage (with confidence and time in stage) when there is
 * one, else the stage the metrics report.
 */
export function StageRoadmap({ stage, guidance }: { stage: string | null | undefined; guidance?: LiveGuidance | null }) {
  const currentId = guidance?.stage ?? stage;
  const current = STAGES.findIndex((s) => s.id === currentId);
  return (
    <ol className="roadmap" aria-label="Call stage">
      {STAGES.map((s, index) => (
        <li
          key={s.id}
          className={index < current ? 'done' : index === current ? 'current' : undefined}
          aria-current={index === current ? 'step' : undefined}
        >
          {s.label}
          {index === current && guidance ? <StageClock guidance={guidance} /> : null}
        </li>
      ))}
    </ol>
  );
}
