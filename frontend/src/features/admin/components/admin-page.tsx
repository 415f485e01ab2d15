import { ApiKeysPanel } from './api-keys-panel';
import { PrivacyPanel } from './privacy-panel';
import { UsersPanel } from './users-panel';

export function AdminPage() {
  return (
    <div>
      <h1>Admin</h1>
      <UsersPanel />
      <ApiKeysPanel />
      <PrivacyPanel />
    </div>
  );
}
