export interface UnreadableEvents {
  /** Names of the server events that failed to parse, first seen first. */
  names: string[];
  count: number;
}

export interface UnreadableState {
  /** Server events this view could not read: shown to the user, not silently dropped. */
  unreadable: UnreadableEvents | null;
}

export const initialUnreadableState: UnreadableState = { unreadable: null };

export function addUnreadable(current: UnreadableEvents | null, name: string): UnreadableEvents {
  const names = current?.names ?? [];
  return { names: names.includes(name) ? names : [...names, name], count: (current?.count ?? 0) + 1 };
}
