import { formatWhen } from '../../shared/src/format';
import { Button, ExternalLink, Field } from '../../shared/src/ui';
import { apiTokenPageUrl } from './validation';

/** keep: leave the stored token alone; replace: type a new one; remove: delete it on save. */
export type TokenMode = 'keep' | 'replace' | 'remove';

export interface TokenFieldProps {
  hasStoredToken: boolean;
  setAt?: string;
  setBy?: string;
  mode: TokenMode;
  value: string;
  error?: string;
  onModeChange(mode: TokenMode): void;
  onChange(value: string): void;
}

/** The API token is write-only: once stored it is never shown again, only replaced or removed. */
export function TokenField(props: TokenFieldProps) {
  const { hasStoredToken, setAt, setBy, mode, value, error, onModeChange, onChange } = props;
  if (hasStoredToken && mode === 'keep') {
    const when = setAt ? ` ${formatWhen(setAt)}` : '';
    const who = setBy ? ` by ${setBy}` : '';
    return (
      <div className="field">
        <label>API token</label>
        <div className="row" data-testid="token-status">
          <span>A token is set{when || who ? ` (set${when}${who})` : ''}.</span>
          <Button onClick={() => onModeChange('replace')}>Replace</Button>
          <Button appearance="subtle" onClick={() => onModeChange('remove')}>Remove</Button>
        </div>
      </div>
    );
  }
  if (hasStoredToken && mode === 'remove') {
    return (
      <div className="field">
        <label>API token</label>
        <div className="row" data-testid="token-status">
          <span>The stored token will be removed when you save. The app then stops opening pull requests.</span>
          <Button onClick={() => onModeChange('keep')}>Undo</Button>
        </div>
      </div>
    );
  }
  return (
    <Field
      label="API token"
      htmlFor="apiToken"
      error={error}
      help={
        <>
          An Atlassian API token with scopes (it starts with <code>ATAT</code>). Create one at{' '}
          <ExternalLink href={apiTokenPageUrl}>id.atlassian.com → Security → API tokens</ExternalLink>. It is stored
          encrypted and never shown again.
        </>
      }
    >
      <div className="row">
        <input
          id="apiToken"
          name="apiToken"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={value}
          placeholder={hasStoredToken ? 'Paste the new token' : 'ATATT3x…'}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'apiToken-error' : 'apiToken-help'}
          onChange={(event) => onChange(event.target.value)}
          style={{ flex: 1 }}
        />
        {hasStoredToken && (
          <Button onClick={() => onModeChange('keep')}>Cancel</Button>
        )}
      </div>
    </Field>
  );
}
