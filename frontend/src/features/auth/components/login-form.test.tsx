import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { tokens } from '@/lib/token-store';
import { jsonResponse, renderWithProviders } from '@/testing/test-utils';

import { LoginForm } from './login-form';

describe('LoginForm', () => {
  it('shows field errors and sends nothing when the form is invalid', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    renderWithProviders(<LoginForm />);
    await userEvent.type(screen.getByLabelText('Email'), 'not-an-email');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByText('Enter a valid email address')).toBeInTheDocument();
    expect(screen.getByText('Enter your password')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAttribute('aria-invalid', 'true');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('logs in, stores the tokens and calls onSuccess', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      jsonResponse(200, {
        user: {
          id: 'u1',
          email: 'rep@example.com',
          name: 'Rita',
          role: 'rep',
          active: true,
          created_at: '2026-12-01T09:00:00+00:00',
          team: { id: 't1', name: 'T' },
        },
        access_token: 'acc',
        refresh_token: 'ref',
      }),
    );
    const onSuccess = vi.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />);
    await userEvent.type(screen.getByLabelText('Email'), 'rep@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'secret-password');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledOnce());
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe('/api/v1/auth/login');
    expect(JSON.parse(String(init?.body))).toEqual({ email: 'rep@example.com', password: 'secret-password' });
    expect(tokens.accessToken).toBe('acc');
    expect(tokens.refreshToken).toBe('ref');
    tokens.clear();
  });

  it('shows the server message of a refused login', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      jsonResponse(401, { error: { code: 'unauthorized', message: 'Wrong email or password.', request_id: 'abc' } }),
    );
    renderWithProviders(<LoginForm />);
    await userEvent.type(screen.getByLabelText('Email'), 'rep@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password. (request abc)');
  });
});
