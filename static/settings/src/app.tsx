import { useEffect, useState } from 'react';
import { view } from '@forge/bridge';
import type { Settings } from '../../shared/src/api-types';
import { call, errorMessage, ResolverError } from '../../shared/src/resolver';
import { Button, SectionMessage, Spinner } from '../../shared/src/ui';
import { ConnectionTest } from './connection-test';
import { CredentialsForm } from './credentials-form';
import { PolicyForm } from './policy-form';
import { UploadToken } from './upload-token';

type LoadState =
  | { kind: 'loading' }
  | { kind: 'not_admin'; message: string }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; settings: Settings };

export function SettingsApp() {
  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [viewer, setViewer] = useState<string>();

  useEffect(() => {
    // Only to say "by you" next to the stored token; the page works without it.
    view.getContext().then(
      (context) => setViewer(typeof context?.accountId === 'string' ? context.accountId : undefined),
      () => undefined,
    );
  }, []);

  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    call('getSettings', {}).then(
      (settings) => live && setState({ kind: 'ready', settings }),
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ResolverError && error.code === 'not_admin') {
          setState({ kind: 'not_admin', message: error.message });
        } else {
          setState({ kind: 'failed', message: errorMessage(error) });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  return (
    <main className="page">
      <h1>Remediate settings</h1>
      <p className="lead">
        Connect a Bitbucket service account, let your CI upload scanner results, and choose which findings get fix
        pull requests.
      </p>
      <Body
        state={state}
        viewer={viewer}
        onRetry={() => setAttempt((n) => n + 1)}
        onChange={(settings) => setState({ kind: 'ready', settings })}
      />
    </main>
  );
}

function Body({ state, viewer, onRetry, onChange }: {
  state: LoadState;
  viewer?: string;
  onRetry(): void;
  onChange(settings: Settings): void;
}) {
  switch (state.kind) {
    case 'loading':
      return <Spinner label="Loading the workspace settings…" />;
    case 'not_admin':
      return (
        <SectionMessage appearance="warning" title="You need to be a workspace admin">
          <p data-testid="not-admin">{state.message}</p>
        </SectionMessage>
      );
    case 'failed':
      return (
        <SectionMessage appearance="error" title="The settings could not be loaded">
          <p>{state.message}</p>
          <Button onClick={onRetry}>Try again</Button>
        </SectionMessage>
      );
    case 'ready': {
      const { settings } = state;
      return (
        <>
          <CredentialsForm settings={settings} viewer={viewer} onSaved={onChange} />
          <ConnectionTest configured={settings.hasApiToken && settings.username !== '' && settings.email !== ''} />
          <UploadToken settings={settings} onChanged={onChange} />
          <PolicyForm settings={settings} onSaved={onChange} />
        </>
      );
    }
  }
}
