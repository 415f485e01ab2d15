import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { ErrorMessage } from '@/components/ui/status';
import type { Consent } from '@/types/consent';

interface Props {
  consent: Consent | null;
  onConfirm: () => Promise<void>;
}

/**
 * The team's recording notice at the start of a call. With consent `required` nothing is
 * recorded or coached until the rep confirms the prospect agreed.
 */
export function ConsentBanner({ consent, onConfirm }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!consent?.mode || consent.mode === 'off') return null;
  const required = consent.mode === 'required';
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card notice consent-banner" aria-label="Recording consent">
      <p>
        <strong>{required ? 'Ask for consent before you start:' : 'Tell the prospect:'}</strong> {consent.text}
      </p>
      {consent.confirmed_at ? (
        <p role="status">Consent confirmed. The call is being transcribed.</p>
      ) : required ? (
        <>
          <p className="muted">Nothing is transcribed, coached or stored until you confirm.</p>
          <Button busy={busy} onClick={() => void confirm()}>
            The prospect agreed
          </Button>
          <ErrorMessage error={error} />
        </>
      ) : null}
    </section>
  );
}
