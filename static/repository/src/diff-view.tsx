export type DiffLineKind = 'add' | 'del' | 'hunk' | 'meta' | 'context';

/** Classifies unified-diff lines so additions and removals can be coloured. */
export function classifyDiffLine(line: string): DiffLineKind {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) {
    return 'meta';
  }
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'context';
}

export function DiffView({ diff }: { diff: string }) {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <pre className="code diff" data-testid="diff" aria-label="Proposed change" tabIndex={0}>
      {lines.map((line, index) => {
        const kind = classifyDiffLine(line);
        return (
          <span key={index} className={`diff-line diff-${kind}`}>
            {line === '' ? ' ' : line}
          </span>
        );
      })}
    </pre>
  );
}
