import type { ScanItem } from '../../shared/src/api-types';
import { shortSha } from '../../shared/src/format';
import { Spinner } from '../../shared/src/ui';
import { isRunning } from './live-timing';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line per scan still running, at the top of the page, announced politely as it moves on. */
export function ScanProgress({ scans }: { scans: readonly ScanItem[] }) {
  const running = scans.filter(isRunning);
  return (
    <div aria-live="polite" data-testid="scan-progress">
      {running.map((scan) => (
        <div key={scan.id} className="scan-progress card">
          <Spinner label={`Scan of ${shortSha(scan.commit)}${scan.branch ? ` on ${scan.branch}` : ''} ${scan.status === 'processing' ? 'is running' : 'is waiting to run'}`} />
          <p className="subtle small">
            {plural(scan.counts.results, 'result')} read · {plural(scan.counts.findings, 'finding')} · {plural(scan.pullRequests?.length ?? 0, 'pull request')} opened.
            {' '}This page updates by itself.
          </p>
        </div>
      ))}
    </div>
  );
}
