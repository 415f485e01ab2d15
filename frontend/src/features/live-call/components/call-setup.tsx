import { type FormEvent, useEffect, useState } from 'react';

import { Button } from '@/components/ui/button';
import { SelectField, TextAreaField, TextField } from '@/components/ui/field';
import { listMicrophones } from '@/lib/audio/capture';

import type { StartOptions } from '../hooks/use-live-call';

const EMPTY_SETUP = { goal: '', prospect_name: '', prospect_company: '', notes: '' };

/**
 * Before the call: title, what the rep wants from it and who it is with (they feed the brief,
 * the AI coach and the stored call), the microphone, and whether to capture the meeting tab.
 */
export function CallSetup({ onStart, busy }: { onStart: (options: StartOptions) => void; busy: boolean }) {
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState('');
  const [title, setTitle] = useState('');
  const [setup, setSetup] = useState(EMPTY_SETUP);
  const field = (name: keyof typeof EMPTY_SETUP) => ({
    name,
    value: setup[name],
    onChange: (e: { target: { value: string } }) => setSetup((current) => ({ ...current, [name]: e.target.value })),
  });
  const [shareTab, setShareTab] = useState(false);
  const canShareTab = typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getDisplayMedia);

  useEffect(() => {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    listMicrophones().then(setMics, () => setMics([]));
  }, []);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onStart({ title: title.trim(), setup, deviceId: deviceId || undefined, shareTab });
  };

  return (
    <form className="call-setup" onSubmit={onSubmit} aria-label="Start a call">
      <TextField label="Call title (optional)" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
      <TextField label="Goal of the call" hint="What should this call achieve? e.g. book a demo with the decision maker" maxLength={500} {...field('goal')} />
      <div className="field-row">
        <TextField label="Prospect name" maxLength={200} autoComplete="off" {...field('prospect_name')} />
        <TextField label="Company" maxLength={200} autoComplete="off" {...field('prospect_company')} />
      </div>
      <TextAreaField label="Notes for the call" hint="What you know already: context, earlier calls, concerns." maxLength={2000} rows={3} {...field('notes')} />
      <SelectField
        label="Microphone"
        value={deviceId}
        onChange={(e) => setDeviceId(e.target.value)}
        options={[
          { value: '', label: 'System default' },
          ...mics.map((mic, i) => ({ value: mic.deviceId, label: mic.label || `Microphone ${i + 1}` })),
        ]}
      />
      {canShareTab ? (
        <label className="checkbox">
          <input type="checkbox" checked={shareTab} onChange={(e) => setShareTab(e.target.checked)} />
          Also share the meeting tab's audio (the prospect's side)
        </label>
      ) : null}
      <Button type="submit" busy={busy}>
        Start call
      </Button>
    </form>
  );
}
