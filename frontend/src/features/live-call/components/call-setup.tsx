import { type FormEvent, useEffect, useState } from 'react';

import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { listMicrophones } from '@/lib/audio/capture';

import type { StartOptions } from '../hooks/use-live-call';

/** Before the call: title, microphone, and whether to capture the meeting tab too. */
export function CallSetup({ onStart, busy }: { onStart: (options: StartOptions) => void; busy: boolean }) {
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState('');
  const [title, setTitle] = useState('');
  const [shareTab, setShareTab] = useState(false);
  const canShareTab = typeof navigator !== 'undefined' && Boolean(navigator.mediaDevices?.getDisplayMedia);

  useEffect(() => {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    listMicrophones().then(setMics, () => setMics([]));
  }, []);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    onStart({ title: title.trim(), deviceId: deviceId || undefined, shareTab });
  };

  return (
    <form className="call-setup" onSubmit={onSubmit} aria-label="Start a call">
      <TextField label="Call title (optional)" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
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
