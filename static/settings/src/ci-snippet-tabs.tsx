import { useState, type KeyboardEvent } from 'react';
import { CopyButton } from '../../shared/src/ui';
import { ciSnippets, type CiKind } from './ci-snippets';

/** One tab per CI; the snippet carries the real upload URL and reads the token from a secured variable. */
export function CiSnippetTabs({ uploadUrl }: { uploadUrl: string }) {
  const [selected, setSelected] = useState<CiKind>('pipelines');
  const [repository, setRepository] = useState('');
  const snippets = ciSnippets(uploadUrl, repository.trim() || undefined);
  const current = snippets.find((snippet) => snippet.kind === selected) ?? snippets[0];
  if (!current) return null;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = snippets.findIndex((snippet) => snippet.kind === selected);
    const next = snippets[(index + (event.key === 'ArrowRight' ? 1 : snippets.length - 1)) % snippets.length];
    if (!next) return;
    setSelected(next.kind);
    event.currentTarget.querySelector<HTMLButtonElement>(`#ci-tab-${next.kind}`)?.focus();
  };

  return (
    <div className="ci-snippets">
      <div className="tabs" role="tablist" aria-label="CI system" onKeyDown={onKeyDown}>
        {snippets.map((snippet) => (
          <button
            key={snippet.kind}
            id={`ci-tab-${snippet.kind}`}
            type="button"
            role="tab"
            className={`tab${snippet.kind === selected ? ' tab-selected' : ''}`}
            aria-selected={snippet.kind === selected}
            aria-controls="ci-panel"
            tabIndex={snippet.kind === selected ? 0 : -1}
            onClick={() => setSelected(snippet.kind)}
          >
            {snippet.label}
          </button>
        ))}
      </div>
      <div id="ci-panel" role="tabpanel" aria-labelledby={`ci-tab-${current.kind}`} className="tab-panel">
        <p className="subtle">{current.where}</p>
        {current.kind !== 'pipelines' && (
          <div className="field">
            <label htmlFor="ci-repository">Bitbucket repository (workspace/repository)</label>
            <input
              id="ci-repository"
              type="text"
              spellCheck={false}
              placeholder="WORKSPACE/REPOSITORY"
              value={repository}
              onChange={(event) => setRepository(event.target.value)}
            />
          </div>
        )}
        <pre className="code" tabIndex={0} aria-label={`${current.label} step`} data-testid={current.kind === 'pipelines' ? 'pipelines-snippet' : 'ci-snippet'}>{current.text}</pre>
        <CopyButton text={current.text} label={current.kind === 'jenkins' ? 'Copy stage' : 'Copy step'} />
      </div>
    </div>
  );
}
