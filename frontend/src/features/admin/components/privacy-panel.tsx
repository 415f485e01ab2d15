import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { ErrorMessage, Spinner } from '@/components/ui/status';
import type { ConsentMode } from '@/types/consent';

import { KIND_LABELS, type TeamSettings, useTeamSettings, useUpdateTeamSettings } from '../api/privacy-api';

const MODES: Array<{ value: ConsentMode; label: string }> = [
  { value: 'off', label: 'Off' },
  { value: 'reminder', label: 'Reminder: show the text when a call starts' },
  { value: 'required', label: 'Required: record nothing until the rep confirms the prospect agreed' },
];

function PrivacyForm({ settings }: { settings: TeamSettings }) {
  const update = useUpdateTeamSettings();
  const [kinds, setKinds] = useState<Set<string>>(new Set(settings.redaction_kinds));
  const toggle = (kind: string, on: boolean) => {
    const next = new Set(kinds);
    if (on) next.add(kind);
    else next.delete(kind);
    setKinds(next);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    update.mutate({
      consent_mode: String(data.get('consent_mode')) as ConsentMode,
      consent_text: String(data.get('consent_text') ?? '').trim(),
      phone_region: String(data.get('phone_region') ?? '').trim().toUpperCase(),
      rep_sees_unredacted: data.get('rep_sees_unredacted') === 'on',
      redaction_kinds: settings.supported_kinds.filter((kind) => kinds.has(kind)),
    });
  };
  return (
    <form onSubmit={onSubmit} aria-label="Privacy settings" className="card">
      <SelectField label="Recording consent" name="consent_mode" defaultValue={settings.consent_mode} options={MODES} />
      <TextAreaField label="Consent text the rep reads" name="consent_text" defaultValue={settings.consent_text} rows={3} maxLength={1000} required />
      <fieldset>
        <legend>Redact from transcripts, notes and exports</legend>
        {settings.supported_kinds.map((kind) => (
          <label key={kind} className="checkbox">
            <input type="checkbox" checked={kinds.has(kind)} onChange={(e) => toggle(kind, e.target.checked)} />{' '}
            {KIND_LABELS[kind] ?? kind}
          </label>
        ))}
      </fieldset>
      <TextField label="Phone number region" name="phone_region" defaultValue={settings.phone_region} maxLength={2} hint="Two letters, e.g. US, GB, DE" />
      <label className="checkbox">
        <input type="checkbox" name="rep_sees_unredacted" defaultChecked={settings.rep_sees_unredacted} /> The rep&apos;s own live view
        shows unredacted text (nothing unredacted is stored or shown to anyone else)
      </label>
      <ErrorMessage error={update.error} />
      <Button type="submit" busy={update.isPending}>
        Save privacy settings
      </Button>
      {update.isSuccess ? <span role="status"> Saved. New calls use these settings.</span> : null}
    </form>
  );
}

/** Admins choose recording consent and which sensitive numbers are redacted. */
export function PrivacyPanel() {
  const settings = useTeamSettings();
  return (
    <section aria-label="Privacy">
      <h2>Privacy</h2>
      {settings.isPending ? <Spinner /> : null}
      <ErrorMessage error={settings.error} />
      {settings.data ? <PrivacyForm settings={settings.data} /> : null}
    </section>
  );
}
