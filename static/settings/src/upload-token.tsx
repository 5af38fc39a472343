import { useState } from 'react';
import type { Settings } from '../../shared/src/api-types';
import { formatWhen } from '../../shared/src/format';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, CopyButton, Section, SectionMessage } from '../../shared/src/ui';
import { CiSnippetTabs } from './ci-snippet-tabs';

type TokenState =
  | { kind: 'idle' }
  | { kind: 'confirm-rotate' }
  | { kind: 'confirm-revoke' }
  | { kind: 'working' }
  | { kind: 'shown'; token: string }
  | { kind: 'revoked' }
  | { kind: 'failed'; message: string };

/** CI authenticates uploads with this token; only a hash is stored, so it is shown exactly once. */
export function UploadToken({ settings, onChanged }: { settings: Settings; onChanged(settings: Settings): void }) {
  const [state, setState] = useState<TokenState>({ kind: 'idle' });
  const hasToken = settings.hasUploadToken;

  const rotate = async () => {
    setState({ kind: 'working' });
    try {
      const { token } = await call('rotateUploadToken', {});
      setState({ kind: 'shown', token });
      onChanged({ ...settings, hasUploadToken: true, uploadTokenSetAt: new Date().toISOString() });
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };
  const revoke = async () => {
    setState({ kind: 'working' });
    try {
      await call('revokeUploadToken', {});
      setState({ kind: 'revoked' });
      const { uploadTokenSetAt: _gone, ...rest } = settings;
      onChanged({ ...rest, hasUploadToken: false });
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };
  const issued = settings.uploadTokenSetAt ? ` (issued ${formatWhen(settings.uploadTokenSetAt)})` : '';

  return (
    <Section
      id="upload-token"
      title="Upload token for CI"
      description="Your CI uploads SARIF results to the app's upload URL with this token. Keep it in a secured CI variable named REMEDIATE_UPLOAD_TOKEN, never in the repository."
    >
      <p data-testid="upload-token-status">
        {hasToken
          ? `An upload token is active${issued}. Rotating it issues a new one and the old one stops working at once.`
          : 'No upload token is active: uploads are refused. Generate one, then add it to your CI.'}
      </p>
      {state.kind === 'confirm-rotate' || state.kind === 'confirm-revoke' ? (
        <div className="row">
          <Button appearance="danger" onClick={() => void (state.kind === 'confirm-rotate' ? rotate() : revoke())}>
            {state.kind === 'confirm-rotate' ? 'Rotate now' : 'Revoke now'}
          </Button>
          <Button onClick={() => setState({ kind: 'idle' })}>Cancel</Button>
          <span className="subtle">Pipelines using the current token will fail until you update them.</span>
        </div>
      ) : (
        <div className="row">
          <Button onClick={() => (hasToken ? setState({ kind: 'confirm-rotate' }) : void rotate())} disabled={state.kind === 'working'}>
            {state.kind === 'working' ? 'Working…' : hasToken ? 'Rotate upload token' : 'Generate upload token'}
          </Button>
          {hasToken && (
            <Button appearance="subtle" onClick={() => setState({ kind: 'confirm-revoke' })} disabled={state.kind === 'working'}>
              Revoke
            </Button>
          )}
        </div>
      )}
      {state.kind === 'failed' && (
        <SectionMessage appearance="error" title="The upload token was not changed">
          <p>{state.message}</p>
        </SectionMessage>
      )}
      {state.kind === 'revoked' && <SectionMessage appearance="success" title="Upload token revoked: uploads with it are refused from now on." />}
      {state.kind === 'shown' && (
        <div className="spaced">
          <SectionMessage appearance="warning" title="Copy this token now — it is shown only once">
            <div className="row">
              <code className="token" data-testid="upload-token-value">{state.token}</code>
              <CopyButton text={state.token} />
            </div>
          </SectionMessage>
        </div>
      )}
      <h3>Upload URL</h3>
      <div className="row">
        <code data-testid="upload-url" className="wrap-anywhere">{settings.uploadUrl}</code>
        <CopyButton text={settings.uploadUrl} />
      </div>
      <h3>CI step</h3>
      <p className="subtle">
        Run your scanners first so that <code>results.sarif</code> exists, then POST it with the token as a bearer token.
      </p>
      <CiSnippetTabs uploadUrl={settings.uploadUrl} />
    </Section>
  );
}
