import type { UnreadableEvents } from '../model/unreadable-state';

/** Server events this view could not read: the user learns the board may be incomplete. */
export function UnreadableNotice({ unreadable }: { unreadable: UnreadableEvents | null }) {
  if (!unreadable) return null;
  const times = unreadable.count === 1 ? 'once' : `${unreadable.count} times`;
  return (
    <div className="card notice" role="alert">
      Some live updates could not be read ({unreadable.names.join(', ')}, {times}), so this view may be incomplete.
      Reload the page if it keeps happening.
    </div>
  );
}
