import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/status';
import { type FieldErrors, formValues, validateForm } from '@/utils/form';

import { LoginInputSchema, useLogin } from '../api/auth-api';

export function LoginForm({ onSuccess }: { onSuccess?: () => void }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const loginMutation = useLogin(onSuccess);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validateForm(LoginInputSchema, formValues(event.currentTarget));
    setErrors(result.errors ?? {});
    if (result.data) loginMutation.mutate(result.data);
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Log in">
      <TextField label="Email" name="email" type="email" autoComplete="username" error={errors.email} autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" error={errors.password} />
      <ErrorMessage error={loginMutation.error} />
      <Button type="submit" busy={loginMutation.isPending}>
        Log in
      </Button>
    </form>
  );
}
