import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/status';
import { type FieldErrors, formValues, validateForm } from '@/utils/form';

import { KINDS, type TalkTrack, type ToolkitEntry, ToolkitFormSchema, useSaveEntry } from '../api/toolkit-api';

import { TalkTracksField } from './talk-tracks-field';

const EMPTY_TRACK: TalkTrack = { text: '', when_to_use: '' };

/** The form's initial values: the entry's, or those of a new objection. */
function defaultsOf(entry: ToolkitEntry | null) {
  if (!entry) {
    return { kind: 'objection', name: '', title: '', talk_tracks: [EMPTY_TRACK], triggers: '', negative_triggers: '', speakers: 'prospect', cooldown_s: 60, max_per_call: 3, examples: '', threshold: '' };
  }
  return {
    ...entry,
    talk_tracks: entry.talk_tracks.length ? entry.talk_tracks : [EMPTY_TRACK],
    triggers: entry.triggers.join('\n'),
    negative_triggers: (entry.negative_triggers ?? []).join('\n'),
    speakers: (entry.speakers ?? ['prospect']).join(', '),
    examples: (entry.examples ?? []).join('\n'),
    threshold: entry.threshold == null ? '' : String(entry.threshold),
  };
}

export function ToolkitForm({ entry, onDone }: { entry: ToolkitEntry | null; onDone: () => void }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const initial = defaultsOf(entry);
  const [tracks, setTracks] = useState(initial.talk_tracks);
  const save = useSaveEntry();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const talkTracks = tracks.filter((track) => track.text.trim());
    const result = validateForm(ToolkitFormSchema, { ...formValues(event.currentTarget), talk_tracks: talkTracks });
    setErrors(result.errors ?? {});
    if (result.data) save.mutate({ id: entry?.id ?? null, input: result.data }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={onSubmit} aria-label={entry ? `Edit ${entry.title}` : 'New toolkit entry'} className="card" noValidate>
      <SelectField label="Kind" name="kind" defaultValue={initial.kind} options={KINDS.map((k) => ({ value: k, label: k }))} />
      <TextField label="Name (id)" name="name" defaultValue={initial.name} error={errors.name} />
      <TextField label="Title" name="title" defaultValue={initial.title} error={errors.title} />
      <TalkTracksField value={tracks} onChange={setTracks} error={errors.talk_tracks} />
      <TextAreaField label="Triggers" name="triggers" hint="One phrase per line or comma separated." defaultValue={initial.triggers} rows={3} />
      <TextAreaField
        label="Examples"
        name="examples"
        hint="Whole sentences a prospect might say for this moment, one per line, in different words. Sentences no trigger matches are compared with these by meaning."
        defaultValue={initial.examples}
        rows={6}
        error={errors.examples}
      />
      <TextField
        label="Threshold"
        name="threshold"
        hint="How sure the match by meaning must be (0.2 to 0.95). Empty: the default."
        defaultValue={initial.threshold}
        error={errors.threshold}
      />
      <TextAreaField label="Negative triggers" name="negative_triggers" defaultValue={initial.negative_triggers} rows={2} />
      <TextField label="Speakers" name="speakers" hint="prospect, rep" defaultValue={initial.speakers} />
      <TextField label="Cooldown (s)" name="cooldown_s" type="number" min={0} defaultValue={initial.cooldown_s} error={errors.cooldown_s} />
      <TextField label="Max per call" name="max_per_call" type="number" min={0} defaultValue={initial.max_per_call} error={errors.max_per_call} />
      <ErrorMessage error={save.error} />
      <Button type="submit" busy={save.isPending}>Save</Button>{' '}
      <Button variant="secondary" onClick={onDone}>Cancel</Button>
    </form>
  );
}
