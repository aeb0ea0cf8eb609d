import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../lib/passwords';
import { ROLES } from './users.repository';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'email_too_long')
  .pipe(z.email({ message: 'email_invalid' }));

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, 'password_too_short')
  .max(PASSWORD_MAX_LENGTH, 'password_too_long');

export const displayNameSchema = z
  .string()
  .regex(/^[^\u0000]*$/, 'invalid_characters')
  .trim()
  .min(1, 'required')
  .max(120, 'too_long');

export const roleSchema = z.enum(ROLES, { message: 'role_invalid' });

export const newUserSchema = z.object({
  email: emailSchema,
  display_name: displayNameSchema,
  role: roleSchema,
  password: passwordSchema,
});

export type NewUserInput = z.input<typeof newUserSchema>;

/** The admin's edit form for an account (email stays: it is how people sign in). */
export const userEditSchema = z.object({
  display_name: displayNameSchema,
  role: roleSchema,
  version: z
    .string({ message: 'invalid' })
    .regex(/^\d{1,9}$/, 'invalid')
    .transform(Number),
});
