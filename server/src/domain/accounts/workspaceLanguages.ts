/**
 * The languages the workspace and its mails are written in (BCP-47 primary tags), in the order a language menu
 * lists them: an account's `language` is one of them, and each has a mail file in `mails/`.
 */
export const workspaceLanguages = ['en', 'fr', 'nl', 'sv', 'de', 'es', 'ar', 'uk'] as const;

export type WorkspaceLanguage = (typeof workspaceLanguages)[number];

export function isWorkspaceLanguage(language: string | null | undefined): language is WorkspaceLanguage {
  return (workspaceLanguages as readonly string[]).includes(language ?? '');
}
