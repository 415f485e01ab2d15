import { CoachRoomPage } from '@/features/coach-room/components/coach-room-page';

import { RequireRole } from './guards';

export function Component() {
  return (
    <RequireRole roles={['coach', 'admin']}>
      <CoachRoomPage />
    </RequireRole>
  );
}
