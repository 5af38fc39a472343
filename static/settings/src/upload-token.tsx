import { useState } from 'react';
import type { Settings } from '../../shared/src/api-types';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, CopyButton, Section, SectionMessage } from '../../shared/src/ui';
import { pipelinesSnippet } from './pipelines-snippet';

type RotateState =
  | { kind: 'idle' }
  | { kind: 'confirming' }
  | { kind: 'rotating' }
  | { kind: 'shown'; token: string }
  | { kind: 'failed'; message: string };

/** CI authenticates uploads with this token; only a hash is stored, so it is shown exactly once. */
export function UploadToken({ settings, onRotated }: { settings: Settings; onRotated(): void }) {
  const [state, setState] = useState<RotateState>({ kind: 'idle' });
  const hasToken = settings.hasUploadToken || state.kind === 'shown';

  const rotate = async () => {
    setState({ kind: 'rotating' });
    try {
      const { token } = await call('rotateUploadToken', {});
      setState({ kind: 'shown', token });
      onRotated();
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };
  const start = () => (hasToken ? setState({ kind: 'confirming' }) : void rotate());

  return (
    <Section
      id="upload-token"
      title="Upload token for CI"
      description="Your CI uploads SARIF results to the app's upload URL with this token. Keep it in a secured pipeline variable named REMEDIATE_UPLOAD_TOKEN."
    >
      <p data-testid="upload-token-status">
        {hasToken
          ? 'An upload token is active. Rotating it issues a new one and the old one stops working at once.'
          : 'No upload token yet. Generate one, then add it to your CI.'}
      </p>
      {state.kind === 'confirming' ? (
        <div className="row">
          <Button appearance="danger" onClick={() => void rotate()}>
            Rotate now
          </Button>
          <Button onClick={() => setState({ kind: 'idle' })}>Cancel</Button>
          <span className="subtle">Pipelines using the current token will fail until you update them.</span>
        </div>
      ) : (
        <Button onClick={start} disabled={state.kind === 'rotating'}>
          {state.kind === 'rotating' ? 'Generating…' : hasToken ? 'Rotate upload token' : 'Generate upload token'}
        </Button>
      )}
      {state.kind === 'failed' && (
        <SectionMessage appearance="error" title="No new token was issued">
          <p>{state.message}</p>
        </SectionMessage>
      )}
      {state.kind === 'shown' && (
        <div style={{ marginTop: 16 }}>
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
        <code data-testid="upload-url">{settings.uploadUrl}</code>
        <CopyButton text={settings.uploadUrl} />
      </div>
      <h3>Bitbucket Pipelines step</h3>
      <p className="subtle">
        Add this step after your scanners in <code>bitbucket-pipelines.yml</code>. Any CI works the same way: POST the
        SARIF file with the token as a bearer token.
      </p>
      <pre className="code" data-testid="pipelines-snippet">{pipelinesSnippet(settings.uploadUrl)}</pre>
      <CopyButton text={pipelinesSnippet(settings.uploadUrl)} label="Copy step" />
    </Section>
  );
}
