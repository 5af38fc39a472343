import { useState } from 'react';
import { call, errorMessage } from '../../shared/src/resolver';
import { Button, ExternalLink, SectionMessage } from '../../shared/src/ui';

type BulkState = { kind: 'idle' } | { kind: 'busy' } | { kind: 'opened'; urls: string[]; notes: string[] } | { kind: 'failed'; message: string };

/** "Open fix pull requests" for the findings ticked in the table (grouped by the workspace policy). */
export function BulkFix({ ids, onDone }: { ids: string[]; onDone(): void }) {
  const [state, setState] = useState<BulkState>({ kind: 'idle' });
  const open = async () => {
    setState({ kind: 'busy' });
    try {
      const { pullRequests, notes } = await call('createPullRequest', { findingIds: ids.slice(0, 100) });
      setState({ kind: 'opened', urls: pullRequests.map((pr) => pr.url), notes: notes ?? [] });
      onDone();
    } catch (error) {
      setState({ kind: 'failed', message: errorMessage(error) });
    }
  };
  if (ids.length === 0 && state.kind !== 'opened' && state.kind !== 'failed') return null;
  return (
    <div className="bulk-bar" data-testid="bulk-fix">
      {ids.length > 0 && (
        <div className="row">
          <Button appearance="primary" disabled={state.kind === 'busy'} onClick={() => void open()}>
            {state.kind === 'busy' ? 'Opening…' : `Open fix pull requests for ${ids.length} selected`}
          </Button>
          {ids.length > 100 && <span className="subtle">The first 100 are sent; run it again for the rest.</span>}
        </div>
      )}
      {state.kind === 'opened' && (
        <SectionMessage appearance="success" title={state.urls.length === 1 ? 'Pull request opened' : `${state.urls.length} pull requests opened`}>
          {state.urls.map((url) => <p key={url}><ExternalLink href={url}>{url}</ExternalLink></p>)}
          {state.notes.length > 0 && (
            <>
              <p>Not included:</p>
              <ul data-testid="bulk-fix-notes">{state.notes.map((note) => <li key={note}>{note}</li>)}</ul>
            </>
          )}
        </SectionMessage>
      )}
      {state.kind === 'failed' && (
        <SectionMessage appearance="error" title="No pull request was opened">
          <p>{state.message}</p>
        </SectionMessage>
      )}
    </div>
  );
}
