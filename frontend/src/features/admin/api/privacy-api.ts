import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';

import { api } from '@/lib/api-client';
import { ConsentModeSchema } from '@/types/consent';

/** The team's privacy settings (`GET|PATCH /api/v1/team/settings`, admins only). */
export const TeamSettingsSchema = z.object({
  consent_mode: ConsentModeSchema,
  consent_text: z.string(),
  redaction_kinds: z.array(z.string()),
  phone_region: z.string(),
  rep_sees_unredacted: z.boolean(),
  supported_kinds: z.array(z.string()),
  updated_at: z.string().nullish(),
});
export type TeamSettings = z.infer<typeof TeamSettingsSchema>;
export type TeamSettingsPatch = Partial<Omit<TeamSettings, 'supported_kinds' | 'updated_at'>>;

/** What each redaction kind means to an admin choosing it. */
export const KIND_LABELS: Record<string, string> = {
  card: 'Payment card numbers (Luhn-checked) → [card number]',
  us_ssn: 'US Social Security numbers → [ssn]',
  ca_sin: 'Canadian Social Insurance numbers → [national id]',
  nl_bsn: 'Dutch BSN numbers → [national id]',
  iban: 'IBANs → [iban]',
  bank_account: 'Bank account and routing numbers → [bank account]',
  phone: 'Phone numbers → [phone number]',
  email: 'Email addresses → [email]',
};

const settingsKey = ['team-settings'] as const;

export function useTeamSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: () => api.get('/api/v1/team/settings', TeamSettingsSchema) });
}

export function useUpdateTeamSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: TeamSettingsPatch) => api.patch('/api/v1/team/settings', TeamSettingsSchema, patch),
    onSuccess: (data) => queryClient.setQueryData(settingsKey, data),
  });
}
