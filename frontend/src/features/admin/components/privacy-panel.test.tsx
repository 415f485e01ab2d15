import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { jsonResponse, renderWithProviders } from '@/testing/test-utils';
import { consentSummary } from '@/types/consent';

import { PrivacyPanel } from './privacy-panel';

const SETTINGS = {
  consent_mode: 'off',
  consent_text: 'We record this call.',
  redaction_kinds: ['card', 'us_ssn'],
  phone_region: 'US',
  rep_sees_unredacted: false,
  supported_kinds: ['card', 'us_ssn', 'ca_sin', 'nl_bsn', 'iban', 'bank_account', 'phone', 'email'],
  updated_at: null,
};

describe('PrivacyPanel', () => {
  it('loads the settings and saves consent mode and redaction kinds', async () => {
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(jsonResponse(200, SETTINGS))
      .mockResolvedValueOnce(jsonResponse(200, { ...SETTINGS, consent_mode: 'required', redaction_kinds: ['card', 'us_ssn', 'phone'] }));
    renderWithProviders(<PrivacyPanel />);
    const phone = await screen.findByRole('checkbox', { name: /Phone numbers/ });
    expect(screen.getByRole('checkbox', { name: /Payment card numbers/ })).toBeChecked();
    expect(phone).not.toBeChecked();
    await userEvent.selectOptions(screen.getByLabelText('Recording consent'), 'required');
    await userEvent.click(phone);
    await userEvent.click(screen.getByRole('button', { name: 'Save privacy settings' }));
    await waitFor(() => expect(fetchSpy).toHaveBeenCalledTimes(2));
    const [url, init] = fetchSpy.mock.calls[1]!;
    expect(url).toBe('/api/v1/team/settings');
    expect(init?.method).toBe('PATCH');
    expect(JSON.parse(String(init?.body))).toEqual({
      consent_mode: 'required',
      consent_text: 'We record this call.',
      phone_region: 'US',
      rep_sees_unredacted: false,
      redaction_kinds: ['card', 'us_ssn', 'phone'],
    });
    expect(await screen.findByRole('status')).toHaveTextContent('Saved');
  });
});

describe('consentSummary', () => {
  it('names who confirmed the consent', () => {
    const line = consentSummary({ mode: 'required', confirmed_at: '2026-12-01T20:00:00Z', confirmed_by: { id: '1', name: 'Rita' } });
    expect(line).toContain('confirmed by Rita');
  });

  it('says when a required consent was never given', () => {
    expect(consentSummary({ mode: 'required' })).toContain('never confirmed');
    expect(consentSummary(null)).toBe('No consent step for this call');
  });
});
