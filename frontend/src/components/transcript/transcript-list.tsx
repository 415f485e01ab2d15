import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';

import { type Attribution, UNCERTAIN_BELOW } from '@/types/api';
import { formatDuration, formatOffset } from '@/utils/format';

/** A stretch where a source was muted: nothing was sent or transcribed (seconds since call start). */
export interface TranscriptGap {
  from_s: number;
  /** null while still muted. */
  to_s: number | null;
}

export interface TranscriptLine {
  utterance_id: string;
  source: 'rep' | 'prospect' | 'unknown';
  text: string;
  start_ms: number;
  isFinal?: boolean;
  attribution?: Attribution | { [key: string]: unknown } | null;
  gap?: TranscriptGap;
}

function gapText(speaker: string, gap: TranscriptGap): string {
  const until = gap.to_s === null ? 'now' : formatDuration(gap.to_s);
  return `${speaker} muted ${formatDuration(gap.from_s)}–${until}: nothing was sent or transcribed`;
}

/** Re-attribute a final line to the other speaker (one-microphone calls). */
export type FlipSpeaker = (line: TranscriptLine, source: 'rep' | 'prospect') => void;

const SPEAKER: Record<TranscriptLine['source'], string> = { rep: 'You', prospect: 'Prospect', unknown: 'Speaker' };

interface Props {
  lines: TranscriptLine[];
  /** Keep the newest line in view while the user has not scrolled up (live calls). */
  follow?: boolean;
  height?: number;
  speakerNames?: Partial<Record<TranscriptLine['source'], string>>;
  /** Offer "that was me / them" on attributed final lines. */
  onFlip?: FlipSpeaker;
  /** Button wording: the rep speaks of "me", a coach of the rep. */
  flipLabels?: Record<'rep' | 'prospect', string>;
}

const FLIP_LABELS = { rep: 'That was me', prospect: 'That was them' };

function uncertain(line: TranscriptLine): boolean {
  const a = line.attribution;
  return Boolean(a && a.method !== 'correction' && typeof a.confidence === 'number' && a.confidence < UNCERTAIN_BELOW);
}

function FlipButtons({ line, onFlip, labels }: { line: TranscriptLine; onFlip: FlipSpeaker; labels: Record<'rep' | 'prospect', string> }) {
  const other = line.source === 'rep' ? 'prospect' : 'rep';
  return (
    <span className="line-flip">
      {uncertain(line) && line.source !== 'unknown' ? (
        <button type="button" className="link-button" onClick={() => onFlip(line, line.source as 'rep' | 'prospect')}>
          {labels[line.source as 'rep' | 'prospect']}
        </button>
      ) : null}
      <button type="button" className="link-button" onClick={() => onFlip(line, other)}>
        {labels[other]}
      </button>
    </span>
  );
}

interface LineContentProps {
  line: TranscriptLine;
  speaker: string;
  onFlip?: FlipSpeaker;
  flipLabels: Record<'rep' | 'prospect', string>;
}

/** One row: time, speaker (with "(?)" when unsure), text or the muted gap, flip buttons. */
function LineContent({ line, speaker, onFlip, flipLabels }: LineContentProps) {
  return (
    <>
      <span className="line-time">{line.gap ? formatDuration(line.gap.from_s) : formatOffset(line.start_ms)}</span>
      <span className="line-speaker">
        {speaker}
        {uncertain(line) ? <span className="line-uncertain" title="Not sure who said this"> (?)</span> : null}
      </span>
      <span className="line-text">{line.gap ? gapText(speaker, line.gap) : line.text}</span>
      {onFlip && line.attribution && line.isFinal !== false && !line.gap ? (
        <FlipButtons line={line} onFlip={onFlip} labels={flipLabels} />
      ) : null}
    </>
  );
}

/** Virtualised transcript: only the visible rows are in the DOM, so hour-long calls stay fast. */
export function TranscriptList({ lines, follow = false, height = 420, speakerNames, onFlip, flipLabels = FLIP_LABELS }: Props) {
  const parentRef = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  // TanStack Virtual is not React-Compiler safe; we do not use the compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => 48,
    overscan: 8,
  });

  useEffect(() => {
    if (follow && pinned.current && lines.length > 0) virtualizer.scrollToIndex(lines.length - 1, { align: 'end' });
  }, [follow, lines, virtualizer]);

  const onScroll = () => {
    const el = parentRef.current;
    if (el) pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
  };

  return (
    <div
      ref={parentRef}
      className="transcript"
      style={{ height, overflowY: 'auto' }}
      onScroll={onScroll}
      role="log"
      aria-live={follow ? 'polite' : undefined}
      aria-label="Transcript"
      tabIndex={0}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const line = lines[row.index]!;
          const speaker = speakerNames?.[line.source] ?? SPEAKER[line.source];
          return (
            <div
              key={`${line.source}-${line.utterance_id}-${line.isFinal === false ? 'i' : 'f'}`}
              data-index={row.index}
              ref={virtualizer.measureElement}
              className={`line line-${line.source}${line.isFinal === false ? ' line-interim' : ''}${line.gap ? ' line-gap' : ''}`}
              style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${row.start}px)` }}
            >
              <LineContent line={line} speaker={speaker} onFlip={onFlip} flipLabels={flipLabels} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
