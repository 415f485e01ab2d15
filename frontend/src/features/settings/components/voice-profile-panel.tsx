import { useRef, useState } from 'react';

import { Button } from '@/components/ui/button';
import { ApiError } from '@/lib/api-client';
import { type Capture, openMicrophone, startCapture } from '@/lib/audio/capture';

import { useDeleteVoiceProfile, useRecordVoiceProfile, useVoiceProfile, type VoiceProfile } from '../api/voice-profile-api';

const RECORD_S = 10;
const READ_ALOUD =
  'Hello, this is me on a sales call. I ask about your goals, I listen to what matters to your team, ' +
  'and I explain how we could help you reach them this quarter.';

function join(chunks: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(new Uint8Array(chunk), at);
    at += chunk.byteLength;
  }
  return out.buffer;
}

function describe(profile: VoiceProfile): string {
  const when = new Date(profile.updated_at).toLocaleDateString();
  return profile.method === 'recorded'
    ? `Recorded from ${profile.seconds.toFixed(0)} s of speech on ${when}.`
    : `Learned from ${profile.samples} of your lines on calls with a meeting tab (last on ${when}).`;
}

/** Record the rep's voice once (~10 s) so one-microphone calls can tell the rep from the prospect. */
export function VoiceProfilePanel() {
  const profile = useVoiceProfile();
  const record = useRecordVoiceProfile();
  const remove = useDeleteVoiceProfile();
  const [left, setLeft] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const capture = useRef<Capture | null>(null);

  const start = async () => {
    setProblem(null);
    const chunks: ArrayBuffer[] = [];
    try {
      capture.current = await startCapture(await openMicrophone(), { onChunk: (pcm) => chunks.push(pcm), onLevel: () => {} });
    } catch {
      setProblem('The microphone could not be opened.');
      return;
    }
    for (let s = RECORD_S; s > 0; s -= 1) {
      setLeft(s);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    capture.current?.stop();
    capture.current = null;
    setLeft(null);
    record.mutate(join(chunks), {
      onError: (error) => setProblem(error instanceof ApiError ? error.message : 'The sample could not be saved.'),
    });
  };

  return (
    <section className="panel" aria-label="Your voice">
      <h2>Your voice</h2>
      <p className="muted">
        On calls without a meeting tab, both voices reach your microphone. A short sample of your voice lets the coach tell
        your lines from the prospect&apos;s. Only voice features are kept, never the recording.
      </p>
      {profile.data ? <p role="status">{describe(profile.data)}</p> : null}
      {profile.data === null ? <p role="status">No voice profile yet: the first voice on a call is taken as yours.</p> : null}
      {left !== null ? (
        <p role="status">
          Read aloud ({left} s left): <q>{READ_ALOUD}</q>
        </p>
      ) : null}
      {problem ? (
        <p className="error-message" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="row">
        <Button onClick={() => void start()} disabled={left !== null || record.isPending}>
          {profile.data ? 'Record again' : 'Record my voice'}
        </Button>
        {profile.data ? (
          <Button variant="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
            Delete my voice profile
          </Button>
        ) : null}
      </div>
    </section>
  );
}
