import { useState } from 'react';
import type { ConnectionResult } from '../../shared/src/api-types';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, Field, Section, SectionMessage, Spinner } from '../../shared/src/ui';

type TestState =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; result: ConnectionResult }
  | { kind: 'failed'; message: string };

/** Runs the backend's checks (sign-in, username, each scope, workspace access) against the saved settings. */
export function ConnectionTest({ configured }: { configured: boolean }) {
  const [state, setState] = useState<TestState>({ kind: 'idle' });
  const [repository, setRepository] = useState('');
  const run = async () => {
    setState({ kind: 'running' });
    try {
      const slug = repository.trim().replace(/^.*\//, '');
      setState({ kind: 'done', result: await call('testConnection', slug ? { repository: slug } : {}) });
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };
  return (
    <Section
      id="connection"
      title="Test connection"
      description="Checks the saved account against Bitbucket: sign-in, username, each token scope and access to this workspace."
    >
      {!configured && (
        <SectionMessage appearance="warning">
          <p>Save a username, email address and API token first.</p>
        </SectionMessage>
      )}
      <Field
        label="Repository to prove write access on (optional)"
        htmlFor="test-repository"
        help="Its slug, e.g. shop-api. Without one, the last scanned repository is used."
      >
        <input
          id="test-repository"
          type="text"
          spellCheck={false}
          value={repository}
          onChange={(event) => setRepository(event.target.value)}
        />
      </Field>
      <Button onClick={() => void run()} disabled={state.kind === 'running'}>
        {state.kind === 'running' ? 'Testing…' : 'Test connection'}
      </Button>
      {state.kind === 'running' && <Spinner label="Asking Bitbucket…" />}
      {state.kind === 'failed' && (
        <SectionMessage appearance="error" title="The test could not run">
          <p>{state.message}</p>
        </SectionMessage>
      )}
      {state.kind === 'done' && <CheckList result={state.result} />}
    </Section>
  );
}

function CheckList({ result }: { result: ConnectionResult }) {
  const failed = result.checks.filter((check) => !check.ok).length;
  return (
    <div data-testid="connection-result">
      <p style={{ marginTop: 16 }}>
        <strong>
          {result.ok ? 'All checks passed.' : `${failed} of ${result.checks.length} checks failed.`}
        </strong>
      </p>
      <ul className="checks">
        {result.checks.map((check) => (
          <li key={check.id} className={check.ok ? 'check-pass' : 'check-fail'} data-testid="connection-check">
            <span className="check-mark" aria-label={check.ok ? 'passed' : 'failed'}>
              {check.ok ? '✓' : '✗'}
            </span>
            <span>
              <strong>{check.label ?? check.id}</strong>
              {check.detail ? <span className="subtle"> — {check.detail}</span> : null}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
