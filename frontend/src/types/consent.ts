import { z } from 'zod';

import { formatDateTime } from '@/utils/format';

/** A call's recording consent, as REST, exports and the `call:start` ack carry it. */
export const ConsentModeSchema = z.enum(['off', 'reminder', 'required']);
export type ConsentMode = z.infer<typeof ConsentModeSchema>;

export const ConsentSchema = z.object({
  mode: ConsentModeSchema.nullish(),
  text: z.string().nullish(),
  confirmed_at: z.string().nullish(),
  confirmed_by: z.object({ id: z.string(), name: z.string() }).nullish(),
});
export type Consent = z.infer<typeof ConsentSchema>;

/** One line for the call page: who confirmed the prospect agreed, and when. */
interface ConsentLike {
  mode?: Consent['mode'];
  confirmed_at?: string | null;
  confirmed_by?: { id?: unknown; name?: unknown } | null;
}

export function consentSummary(consent: ConsentLike | null | undefined): string {
  if (consent?.confirmed_at) {
    const name = consent.confirmed_by?.name;
    const who = typeof name === 'string' ? name : 'a former user';
    return `Prospect agreed to the recording — confirmed by ${who}, ${formatDateTime(consent.confirmed_at)}`;
  }
  if (consent?.mode === 'reminder') return 'Recording reminder shown to the rep; agreement not confirmed';
  if (consent?.mode === 'required') return 'Consent required but never confirmed: nothing was recorded';
  return 'No consent step for this call';
}
