import { useEffect, useId, useRef, useState } from 'react';

import { ErrorMessage, Spinner } from '@/components/ui/status';

import './toolkit-panel.css';

import { type TalkTrack, type ToolkitEntry, useToolkit } from '../api/toolkit-api';

import { CATEGORIES, filterToolkit } from './toolkit-filter';

const COPIED_MS = 2000;

type CopyState = { key: string; ok: boolean } | null;

function TrackButton({ track, copied, onCopy }: { track: TalkTrack; copied: CopyState; onCopy: () => void }) {
  return (
    <li>
      <button type="button" className={`talk-track${copied?.ok ? ' is-copied' : ''}`} onClick={onCopy}>
        <span className="talk-track-text">{track.text}</span>
        {track.when_to_use ? <span className="talk-track-when">When: {track.when_to_use}</span> : null}
        <span className="talk-track-action" aria-hidden="true">
          {copied ? (copied.ok ? 'Copied ✓' : 'Copy failed') : 'Copy'}
        </span>
      </button>
    </li>
  );
}

function EntryTracks({ entry, copied, onCopy }: { entry: ToolkitEntry; copied: CopyState; onCopy: (key: string, text: string) => void }) {
  return (
    <article className="toolkit-entry" aria-label={entry.title}>
      <h3>{entry.title}</h3>
      <ul className="talk-tracks">
        {entry.talk_tracks.map((track, i) => {
          const key = `${entry.id}-${i}`;
          return <TrackButton key={key} track={track} copied={copied?.key === key ? copied : null} onCopy={() => onCopy(key, track.text)} />;
        })}
      </ul>
    </article>
  );
}

/** Copy to the clipboard, with a visible (and announced) "copied" for a moment. */
function useCopy() {
  const [copied, setCopied] = useState<CopyState>(null);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const copy = async (key: string, text: string) => {
    let ok = true;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      ok = false;
    }
    setCopied({ key, ok });
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setCopied(null), COPIED_MS);
  };
  return { copied, copy };
}

/** The team's talk tracks at hand during a call: search, categories, one click (or Enter) to copy. */
export function ToolkitPanel() {
  const toolkit = useToolkit();
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<ToolkitEntry['kind'] | null>(null);
  const { copied, copy } = useCopy();
  const searchId = useId();
  if (toolkit.isPending) return <Spinner label="Loading the toolkit…" />;
  if (toolkit.isError) return <ErrorMessage error={toolkit.error} />;
  const entries = filterToolkit(toolkit.data.items, category, query);
  return (
    <div className="toolkit-panel">
      <label htmlFor={searchId} className="visually-hidden">
        Search the toolkit
      </label>
      <input id={searchId} type="search" placeholder="Search talk tracks…" value={query} onChange={(e) => setQuery(e.target.value)} />
      <div className="toolkit-categories" role="group" aria-label="Categories">
        {[{ kind: null, label: 'All' }, ...CATEGORIES].map((c) => (
          <button key={c.label} type="button" aria-pressed={category === c.kind} onClick={() => setCategory(c.kind)}>
            {c.label}
          </button>
        ))}
      </div>
      <p className="visually-hidden" role="status">
        {copied ? (copied.ok ? 'Copied to the clipboard.' : 'Could not copy: select the text instead.') : ''}
      </p>
      {entries.length === 0 ? <p className="muted">No talk track matches.</p> : null}
      {entries.map((entry) => (
        <EntryTracks key={entry.id} entry={entry} copied={copied} onCopy={(key, text) => void copy(key, text)} />
      ))}
    </div>
  );
}
