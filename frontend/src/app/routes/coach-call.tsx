import { Link, useParams } from 'react-router';

import { WhisperForm } from '@/features/coach-room/components/whisper-form';
import { ObservedCall } from '@/features/live-call/components/observed-call';

import { RequireRole } from './guards';

/** The app layer composes two features: the live board (read-only) and the whisper box. */
export function Component() {
  const { callId = '' } = useParams();
  return (
    <RequireRole roles={['coach', 'admin']}>
      <p>
        <Link to="/coach">← All live calls</Link>
      </p>
      <h1>Listening in</h1>
      <WhisperForm callId={callId} />
      <ObservedCall key={callId} callId={callId} />
    </RequireRole>
  );
}
