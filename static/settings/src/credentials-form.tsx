import { useState, type FormEvent } from 'react';
import type { SaveSettingsPayload, Settings } from '../../shared/src/api-types';
import { flag } from '../../shared/src/flags';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, ExternalLink, Field, Section, SectionMessage } from '../../shared/src/ui';
import { TokenField, type TokenMode } from './token-field';
import { apiTokenPageUrl, hasErrors, requiredScopes, validateCredentials, type CredentialErrors } from './validation';

type SaveState =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'saved'; signIn?: { ok: boolean; detail: string } }
  | { kind: 'failed'; message: string };

export function CredentialsForm({ settings, viewer, onSaved }: {
  settings: Settings;
  /** The viewing account, so the token line can say "by you". */
  viewer?: string;
  onSaved(settings: Settings): void;
}) {
  const [username, setUsername] = useState(settings.username);
  const [email, setEmail] = useState(settings.email);
  const [tokenMode, setTokenMode] = useState<TokenMode>(settings.hasApiToken ? 'keep' : 'replace');
  const [token, setToken] = useState('');
  const [errors, setErrors] = useState<CredentialErrors>({});
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });

  const tokenValue = (): string | undefined =>
    tokenMode === 'remove' ? '' : tokenMode === 'replace' && token.trim() !== '' ? token.trim() : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const apiToken = tokenValue();
    const found = validateCredentials({ username, email, apiToken, hasStoredToken: settings.hasApiToken });
    setErrors(found);
    if (hasErrors(found)) {
      setSave({ kind: 'idle' });
      return;
    }
    const payload: SaveSettingsPayload = { username: username.trim(), email: email.trim() };
    if (apiToken === '') payload.removeApiToken = true;
    else if (apiToken !== undefined) payload.apiToken = apiToken;
    setSave({ kind: 'saving' });
    try {
      const saved = await call('saveSettings', payload);
      setToken('');
      setTokenMode(saved.hasApiToken ? 'keep' : 'replace');
      // Saving credentials signs in with them first; a refusal (401) never reaches here.
      setSave({ kind: 'saved', ...(saved.signIn ? { signIn: saved.signIn } : {}) });
      if (saved.signIn && !saved.signIn.ok) flag('warning', 'Settings saved; the sign-in could not be checked', saved.signIn.detail);
      else flag('success', 'Settings saved', saved.signIn?.detail);
      onSaved(saved);
    } catch (error) {
      setSave({ kind: 'failed', message: errorMessage(error) });
      flag('error', 'The settings were not saved', errorMessage(error));
    }
  };

  const clearError = (field: keyof CredentialErrors) => {
    if (errors[field] === undefined) return;
    const { [field]: _removed, ...rest } = errors;
    setErrors(rest);
  };

  return (
    <Section
      id="service-account"
      title="Service account"
      description={
        <>
          <p>
            Remediate opens pull requests as this Bitbucket account. We recommend a dedicated service account (for
            example <code>remediate-bot</code>) that is a member of this workspace with write access to the
            repositories it should fix, rather than a person&apos;s account.
          </p>
          <p>
            Both names are needed: the REST API signs in with the <strong>email address</strong> and the API token,
            while the <strong>username</strong> is the account that git and Bitbucket show as the author of commits
            and pull requests.
          </p>
        </>
      }
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field label="Username" htmlFor="username" error={errors.username} help="The Bitbucket username, e.g. remediate-bot.">
          <input
            id="username"
            name="username"
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={username}
            aria-invalid={errors.username ? true : undefined}
            onChange={(event) => {
              setUsername(event.target.value);
              clearError('username');
            }}
          />
        </Field>
        <Field
          label="Email address"
          htmlFor="email"
          error={errors.email}
          help="The email address of the account's Atlassian login."
        >
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="off"
            value={email}
            aria-invalid={errors.email ? true : undefined}
            onChange={(event) => {
              setEmail(event.target.value);
              clearError('email');
            }}
          />
        </Field>
        <TokenField
          hasStoredToken={settings.hasApiToken}
          setAt={settings.apiTokenSetAt}
          setBy={settings.apiTokenSetBy !== undefined && settings.apiTokenSetBy === viewer ? 'you' : settings.apiTokenSetBy}
          mode={tokenMode}
          value={token}
          error={errors.apiToken}
          onModeChange={(mode) => {
            setTokenMode(mode);
            setToken('');
            clearError('apiToken');
          }}
          onChange={(value) => {
            setToken(value);
            clearError('apiToken');
          }}
        />
        <ScopesHelp />
        {save.kind === 'failed' && (
          <SectionMessage appearance="error" title="The settings were not saved">
            <p>{save.message}</p>
          </SectionMessage>
        )}
        {save.kind === 'saved' && (
          <SectionMessage appearance={save.signIn && !save.signIn.ok ? 'warning' : 'success'} title={save.signIn && !save.signIn.ok ? 'Settings saved; the sign-in could not be checked' : 'Settings saved'}>
            {save.signIn && <p data-testid="sign-in-result">{save.signIn.detail}</p>}
          </SectionMessage>
        )}
        <Button appearance="primary" type="submit" disabled={save.kind === 'saving'}>
          {save.kind === 'saving' ? 'Saving…' : 'Save'}
        </Button>
      </form>
    </Section>
  );
}

function ScopesHelp() {
  return (
    <SectionMessage appearance="information" title="Create an API token with these six scopes">
      <p>
        Sign in to <ExternalLink href={apiTokenPageUrl}>Atlassian account → Security → API tokens</ExternalLink> as the
        service account, choose <em>Create API token with scopes</em>, pick Bitbucket and select:
      </p>
      <ul className="mono" data-testid="scopes">
        {requiredScopes.map((scope) => (
          <li key={scope}>{scope}</li>
        ))}
      </ul>
      <p>Bitbucket app passwords no longer work since 2026; an API token replaces them.</p>
    </SectionMessage>
  );
}
