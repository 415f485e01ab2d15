import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { ErrorMessage, Spinner } from '@/components/ui/status';
import { formatDateTime } from '@/utils/format';

import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/admin-api';

/** Shows a new key exactly once; after "Done" only its prefix remains visible. */
function NewKeyNotice({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div className="card notice" role="alert">
      <p>Copy this key now. It will not be shown again.</p>
      <code className="secret">{secret}</code>{' '}
      <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(secret)}>Copy</Button>{' '}
      <Button onClick={onDone}>Done</Button>
    </div>
  );
}

export function ApiKeysPanel() {
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [name, setName] = useState('');

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate(name.trim(), { onSuccess: () => setName('') });
  };

  return (
    <section aria-label="API keys">
      <h2>API keys</h2>
      {create.data ? <NewKeyNotice secret={create.data.key} onDone={() => create.reset()} /> : null}
      <form onSubmit={onSubmit} className="inline-form">
        <TextField label="Key name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        <Button type="submit" busy={create.isPending} disabled={!name.trim()}>Create key</Button>
      </form>
      <ErrorMessage error={create.error ?? revoke.error ?? keys.error} />
      {keys.isPending ? <Spinner /> : null}
      {keys.data ? (
        <table className="table">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Created</th><th scope="col">Status</th></tr>
          </thead>
          <tbody>
            {keys.data.items.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td><code>{key.prefix}…</code></td>
                <td>{formatDateTime(key.created_at)}</td>
                <td>
                  {key.revoked_at ? (
                    `Revoked ${formatDateTime(key.revoked_at)}`
                  ) : (
                    <Button variant="danger" onClick={() => window.confirm(`Revoke "${key.name}"?`) && revoke.mutate(key.id)}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
