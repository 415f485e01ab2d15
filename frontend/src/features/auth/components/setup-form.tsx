import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { ErrorMessage } from '@/components/ui/status';
import { type FieldErrors, formValues, validateForm } from '@/utils/form';

import { SetupInputSchema, useSetup } from '../api/auth-api';

/** First run: creates the team and its first admin. */
export function SetupForm({ onSuccess }: { onSuccess?: () => void }) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const setupMutation = useSetup(onSuccess);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validateForm(SetupInputSchema, formValues(event.currentTarget));
    setErrors(result.errors ?? {});
    if (result.data) setupMutation.mutate(result.data);
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Create the first admin">
      <TextField label="Team name" name="team_name" error={errors.team_name} autoFocus />
      <TextField label="Your name" name="name" autoComplete="name" error={errors.name} />
      <TextField label="Email" name="email" type="email" autoComplete="username" error={errors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters."
        error={errors.password}
      />
      <ErrorMessage error={setupMutation.error} />
      <Button type="submit" busy={setupMutation.isPending}>
        Create admin account
      </Button>
    </form>
  );
}
