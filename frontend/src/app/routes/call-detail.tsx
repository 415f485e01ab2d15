import { useParams } from 'react-router';

import { CallDetailPage } from '@/features/calls/components/call-detail-page';

export function Component() {
  const { callId = '' } = useParams();
  return <CallDetailPage key={callId} callId={callId} />;
}
