import { type FormEvent, useState } from 'react';

import { Button } from '@/components/ui/button';
import { SelectField, TextField } from '@/components/ui/field';
import { ErrorMessage, Spinner } from '@/components/ui/status';
import type { Role } from '@/types/api';
import { type FieldErrors, formValues, validateForm } from '@/utils/form';

import { NewUserSchema, useCreateUser, useUpdateUser, useUsers } from '../api/admin-api';

const ROLES: Array<{ value: Role; label: string }> = [
  { value: 'rep', label: 'Rep' },
  { value: 'coach', label: 'Coach' },
  { value: 'admin', label: 'Admin' },
];

function CreateUserForm() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useCreateUser();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const result = validateForm(NewUserSchema, formValues(form));
    setErrors(result.errors ?? {});
    if (result.data) create.mutate(result.data, { onSuccess: () => form.reset() });
  };
  return (
    <form onSubmit={onSubmit} aria-label="Add a user" className="card" noValidate>
      <h3>Add a user</h3>
      <TextField label="Name" name="name" error={errors.name} />
      <TextField label="Email" name="email" type="email" error={errors.email} />
      <TextField label="Initial password" name="password" type="password" autoComplete="new-password" error={errors.password} />
      <SelectField label="Role" name="role" defaultValue="rep" options={ROLES} />
      <ErrorMessage error={create.error} />
      <Button type="submit" busy={create.isPending}>Add user</Button>
      {create.isSuccess ? <span role="status"> Added.</span> : null}
    </form>
  );
}

export function UsersPanel() {
  const users = useUsers();
  const update = useUpdateUser();
  return (
    <section aria-label="Users">
      <h2>Users</h2>
      {users.isPending ? <Spinner /> : null}
      <ErrorMessage error={users.error ?? update.error} />
      {users.data ? (
        <table className="table">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th></tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              <tr key={user.id} className={user.active ? undefined : 'inactive'}>
                <td>{user.name}</td>
                <td>{user.email}</td>
                <td>
                  <select
                    aria-label={`Role of ${user.name}`}
                    value={user.role}
                    onChange={(e) => update.mutate({ id: user.id, patch: { role: e.target.value as Role } })}
                  >
                    {ROLES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
                  </select>
                </td>
                <td>
                  <Button variant={user.active ? 'danger' : 'secondary'} onClick={() => update.mutate({ id: user.id, patch: { active: !user.active } })}>
                    {user.active ? 'Deactivate' : 'Reactivate'}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CreateUserForm />
    </section>
  );
}
