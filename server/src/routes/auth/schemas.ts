import { Type } from 'typebox';
import { DISPLAY_NAME_MAX } from '#contract/limits.js';
import { allianceRoles } from '../../domain/accounts/roles.js';
import { workspaceLanguages } from '../../domain/accounts/workspaceLanguages.js';
import { Nullable } from '../commonSchemas.js';

/** A workspace language, or null for the alliance's. */
export const WorkspaceLanguageSchema = Type.Enum([...workspaceLanguages], {
  description: 'The language the workspace opens in and mails are written in (null: the alliance’s).',
});

export const AllianceRoleSchema = Type.Enum([...allianceRoles], {
  description: 'coordinator > secretariat = editor > member',
});

export const Membership = Type.Object({
  allianceId: Type.String(),
  allianceSlug: Type.String(),
  allianceName: Type.String(),
  role: AllianceRoleSchema,
});

export const Me = Type.Object(
  {
    account: Nullable(
      Type.Object({
        id: Type.String(),
        email: Type.String(),
        displayName: Type.String(),
        isPlatformAdmin: Type.Boolean(),
        language: Nullable(WorkspaceLanguageSchema),
      }),
    ),
    csrfToken: Nullable(Type.String({ description: 'Send it as the x-csrf-token header with every change.' })),
    memberships: Type.Array(Membership),
  },
  { description: 'Who is asking; account is null when nobody is signed in.' },
);

const Email = Type.String({ minLength: 1, maxLength: 254 });
/** argon2 hashes any length; the bound only stops a request from making the server hash megabytes. */
const Password = Type.String({ minLength: 1, maxLength: 1000 });

export const LoginBody = Type.Object({ email: Email, password: Password });

export const ResetRequestBody = Type.Object({ email: Email });

export const Accepted = Type.Object({ message: Type.String() });

export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

export const ResetBody = Type.Object({ password: Password });

export const Invitation = Type.Object({
  email: Type.String(),
  allianceName: Type.String(),
  allianceSlug: Type.String(),
  role: AllianceRoleSchema,
  invitedBy: Nullable(Type.String({ description: 'The display name of who sent the invitation.' })),
  expiresAt: Type.String(),
  needsPassword: Type.Boolean({
    description:
      'true: a new person, who chooses a password to accept. false: an existing account, which accepts while ' +
      'signed in, or by sending its password.',
  }),
});

export const AcceptBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  password: Type.Optional(Password),
});

export { DISPLAY_NAME_MAX };

export const OwnAccountBody = Type.Object(
  {
    displayName: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: `The name other members see; trimmed, then 1 to ${DISPLAY_NAME_MAX} characters.`,
      }),
    ),
    language: Type.Optional(Nullable(WorkspaceLanguageSchema)),
  },
  { minProperties: 1 },
);

export const PasswordChangeBody = Type.Object({
  currentPassword: Password,
  newPassword: Type.String({
    minLength: 1,
    maxLength: 1000,
    description: 'At least 10 characters, and not the e-mail address.',
  }),
});

export const SessionsEnded = Type.Object({
  endedSessions: Type.Integer({ description: 'How many other sessions (devices, browsers) were signed out.' }),
});
