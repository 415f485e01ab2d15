import { VoiceProfilePanel } from '@/features/settings/components/voice-profile-panel';

export function Component() {
  return (
    <div className="page">
      <h1>Settings</h1>
      <VoiceProfilePanel />
    </div>
  );
}
