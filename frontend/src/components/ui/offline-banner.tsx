import { useOnlineStatus } from '@/hooks/use-online-status';

export function OfflineBanner() {
  const online = useOnlineStatus();
  if (online) return null;
  return (
    <div className="banner banner-warning" role="status">
      You are offline. A live call keeps buffering audio and resumes when the network is back.
    </div>
  );
}
