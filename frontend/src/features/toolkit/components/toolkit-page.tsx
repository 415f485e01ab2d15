import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { EmptyState, ErrorMessage, Spinner } from '@/components/ui/status';

import { KINDS, type ToolkitEntry, useDeleteEntry, useToolkit } from '../api/toolkit-api';

import { StageList } from './stage-list';
import { ToolkitForm } from './toolkit-form';
import { TrySentence } from './try-sentence';

function EntryCard({ entry, editable, onEdit }: { entry: ToolkitEntry; editable: boolean; onEdit: () => void }) {
  const remove = useDeleteEntry();
  return (
    <article className="card" aria-label={entry.title}>
      <h3>{entry.title}</h3>
      <p className="muted">{entry.name}{entry.triggers.length ? ` · triggers: ${entry.triggers.join(', ')}` : ''}</p>
      <ul className="entry-talk-tracks">
        {entry.talk_tracks.map((track, i) => (
          <li key={i}>
            {track.text}
            {track.when_to_use ? <span className="muted"> · when: {track.when_to_use}</span> : null}
          </li>
        ))}
      </ul>
      {editable ? (
        <div className="card-actions">
          <Button variant="secondary" onClick={onEdit}>Edit</Button>
          <Button
            variant="danger"
            busy={remove.isPending}
            onClick={() => window.confirm(`Delete "${entry.title}"?`) && remove.mutate(entry.id)}
          >
            Delete
          </Button>
        </div>
      ) : null}
      <ErrorMessage error={remove.error} />
    </article>
  );
}

/** The team's playbook; admins edit it, everyone else reads it. */
export function ToolkitPage({ editable }: { editable: boolean }) {
  const toolkit = useToolkit();
  const [editing, setEditing] = useState<ToolkitEntry | 'new' | null>(null);
  if (toolkit.isPending) return <Spinner />;
  if (toolkit.isError) return <ErrorMessage error={toolkit.error} />;
  const items = toolkit.data.items;
  return (
    <div>
      <h1>Toolkit</h1>
      {editable && editing === null ? <Button onClick={() => setEditing('new')}>New entry</Button> : null}
      {editing !== null ? (
        <ToolkitForm key={editing === 'new' ? 'new' : editing.id} entry={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
      ) : null}
      <TrySentence />
      {items.length === 0 ? <EmptyState title="The toolkit is empty." /> : null}
      {KINDS.map((kind) => {
        const entries = items.filter((item) => item.kind === kind);
        if (!entries.length) return null;
        return (
          <section key={kind} aria-label={kind}>
            <h2 className="kind-heading">{kind}</h2>
            {entries.map((entry) => (
              <EntryCard key={entry.id} entry={entry} editable={editable} onEdit={() => setEditing(entry)} />
            ))}
          </section>
        );
      })}
      <StageList stages={toolkit.data.stages} editable={editable} />
    </div>
  );
}
