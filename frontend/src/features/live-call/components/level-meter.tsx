import { useEffect, useState, useSyncExternalStore } from 'react';

import type { LevelStore } from '../hooks/level-store';

const SILENCE_WARN_S = 5;

/** Live mic level plus "we hear you" / "no audio for N s". */
export function LevelMeter({ store, label, muted = false }: { store: LevelStore; label: string; muted?: boolean }) {
  const { level, lastVoiceAt, lastChunkAt } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(performance.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  if (lastChunkAt === null) return null;
  const silentFor = Math.floor((now - (lastVoiceAt ?? lastChunkAt)) / 1000);
  const percent = Math.min(100, Math.round(Math.sqrt(level) * 140));
  const hearing = silentFor < SILENCE_WARN_S;
  return (
    <div className="level">
      <span className="level-label">{label}</span>
      <meter min={0} max={100} value={percent} aria-label={`${label} level`} />
      <span className={muted ? 'warn' : hearing ? 'ok' : 'warn'} role="status">
        {muted ? 'Muted: nothing is sent' : hearing ? 'We hear you' : `No audio for ${silentFor} s`}
      </span>
    </div>
  );
}
