/** Level below which a chunk counts as silence. */
export const VOICE_THRESHOLD = 0.01;

export interface LevelSnapshot {
  level: number;
  /** performance.now() of the last chunk above the threshold, or null before any. */
  lastVoiceAt: number | null;
  lastChunkAt: number | null;
}

/**
 * Audio level outside React state: it changes ten times a second, and only the meter
 * subscribes (useSyncExternalStore), so the transcript and cards do not re-render for it.
 */
export class LevelStore {
  private snapshot: LevelSnapshot = { level: 0, lastVoiceAt: null, lastChunkAt: null };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  set(level: number): void {
    const at = this.now();
    this.snapshot = {
      level,
      lastChunkAt: at,
      lastVoiceAt: level >= VOICE_THRESHOLD ? at : this.snapshot.lastVoiceAt,
    };
    this.listeners.forEach((listener) => listener());
  }

  reset(): void {
    this.snapshot = { level: 0, lastVoiceAt: null, lastChunkAt: null };
    this.listeners.forEach((listener) => listener());
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LevelSnapshot => this.snapshot;
}
