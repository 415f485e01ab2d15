import type { ToolkitEntry } from '../api/toolkit-api';

/** The live toolkit's categories: kinds with something to say (the checklist has no talk tracks). */
export const CATEGORIES: Array<{ kind: ToolkitEntry['kind']; label: string }> = [
  { kind: 'opener', label: 'Openers' },
  { kind: 'objection', label: 'Objections' },
  { kind: 'discovery', label: 'Discovery' },
  { kind: 'signal', label: 'Buying signals' },
  { kind: 'closing', label: 'Closing' },
  { kind: 'reference', label: 'Reference' },
];

const words = (query: string) => query.toLowerCase().split(/\s+/).filter(Boolean);

function haystack(entry: ToolkitEntry): string {
  const tracks = entry.talk_tracks.flatMap((track) => [track.text, track.when_to_use]);
  return [entry.title, entry.name, ...entry.triggers, ...tracks].join(' ').toLowerCase();
}

/** Entries with talk tracks in the category (null: all) that contain every word of the query. */
export function filterToolkit(entries: ToolkitEntry[], category: ToolkitEntry['kind'] | null, query: string): ToolkitEntry[] {
  const needles = words(query);
  return entries.filter((entry) => {
    if (entry.talk_tracks.length === 0) return false;
    if (category !== null && entry.kind !== category) return false;
    const text = haystack(entry);
    return needles.every((needle) => text.includes(needle));
  });
}
