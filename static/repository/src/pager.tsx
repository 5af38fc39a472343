import { Button } from '../../shared/src/ui';
import { pageSizes, type ViewState } from './view-state';

/** The page numbers to offer: the first, the last, and two either side of the current one, with gaps. */
export function pageNumbers(current: number, count: number): (number | 'gap')[] {
  const wanted = new Set([1, count, current - 2, current - 1, current, current + 1, current + 2].filter((n) => n >= 1 && n <= count));
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: (number | 'gap')[] = [];
  sorted.forEach((n, index) => {
    if (index > 0 && n - (sorted[index - 1] ?? n) > 1) out.push('gap');
    out.push(n);
  });
  return out;
}

/**
 * Numbered pages of 50 or 100 findings, in the manner of the Atlassian Design System's dynamic
 * table and pagination (those packages are not dependencies of the pages, so this is drawn with
 * the page's own components).
 */
export function Pager({ view, total, onChange }: { view: ViewState; total: number; onChange(next: ViewState): void }) {
  const count = Math.max(1, Math.ceil(total / view.pageSize));
  const go = (page: number) => onChange({ ...view, page: Math.min(Math.max(1, page), count) });
  return (
    <nav className="pager" aria-label="Pages of findings" data-testid="pager">
      <Button appearance="subtle" disabled={view.page <= 1} onClick={() => go(view.page - 1)} aria-label="Previous page">‹ Previous</Button>
      <ol className="pager-pages">
        {pageNumbers(Math.min(view.page, count), count).map((entry, index) =>
          entry === 'gap' ? (
            <li key={`gap-${index}`} aria-hidden="true" className="subtle">…</li>
          ) : (
            <li key={entry}>
              <Button appearance={entry === view.page ? 'primary' : 'subtle'} aria-current={entry === view.page ? 'page' : undefined}
                aria-label={`Page ${entry}`} onClick={() => go(entry)}>{entry}</Button>
            </li>
          ),
        )}
      </ol>
      <Button appearance="subtle" disabled={view.page >= count} onClick={() => go(view.page + 1)} aria-label="Next page">Next ›</Button>
      <label className="page-size">
        Per page
        <select name="size" value={view.pageSize} onChange={(e) => onChange({ ...view, pageSize: e.target.value === '100' ? 100 : 50, page: 1 })}>
          {pageSizes.map((size) => <option key={size} value={size}>{size}</option>)}
        </select>
      </label>
    </nav>
  );
}
