import { useEffect, useState } from 'react';
import {
  Heading, Inline, Link, Lozenge, SectionMessage, Spinner, Stack, Text, useProductContext,
} from '@forge/react';
import { findingPlace, formatWhen, loadCardSummary, shortSha, type CardScan, type CardSummary } from './card-data';
import { readCardContext, repositoryPageHref } from './card-links';

type LozengeAppearance = 'default' | 'success' | 'removed' | 'inprogress' | 'new' | 'moved';

const severityAppearance: Record<string, LozengeAppearance> = {
  critical: 'removed',
  high: 'removed',
  medium: 'moved',
  low: 'inprogress',
  info: 'default',
};

const scanAppearance = (status: string): LozengeAppearance =>
  status === 'done' ? 'success' : status === 'failed' ? 'removed' : status === 'processing' ? 'inprogress' : 'default';

const IDLE_MS = 10_000;
/** A poll that never keeps a process alive on its own (the card's tests render it in Node; a browser has no `unref`). */
const later = (run: () => void, ms: number): ReturnType<typeof setTimeout> => {
  const timer = setTimeout(run, ms);
  (timer as { unref?: () => void }).unref?.();
  return timer;
};
const isRunningScan = (status: string): boolean => status === 'queued' || status === 'processing' || status === 'receiving';

type CardState = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; summary: CardSummary };

/** The repository source view's sidebar card: counts, open fix PRs, the last scan, and a way in. */
export function RepositoryCard() {
  const context = useProductContext();
  const [state, setState] = useState<CardState>({ kind: 'loading' });

  // Live like the repository page: read again with backoff while a scan runs (2 s, growing to
  // 15 s), every 10 s otherwise, so counts, PRs and the last scan follow without a reload.
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** The last wait while a scan ran; undefined when none was running. */
    let busy: number | undefined;
    const load = () => {
      loadCardSummary().then(
        (summary) => {
          if (!live) return;
          setState({ kind: 'ready', summary });
          const running = summary.lastScan !== undefined && isRunningScan(summary.lastScan.status);
          busy = running ? (busy === undefined ? 2000 : Math.min(15_000, Math.round(busy * 1.5))) : undefined;
          timer = later(load, busy ?? IDLE_MS);
        },
        (error: unknown) => {
          if (!live) return;
          // A failed refresh keeps what the card showed; only a first load shows the error.
          setState((previous) => (previous.kind === 'ready' ? previous : { kind: 'failed', message: error instanceof Error ? error.message : 'The findings could not be loaded.' }));
          timer = later(load, IDLE_MS);
        },
      );
    };
    load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, []);

  const pageHref = repositoryPageHref(readCardContext(context));
  if (state.kind === 'loading') return <Spinner label="Loading Remediate findings" />;
  if (state.kind === 'failed') {
    return (
      <SectionMessage appearance="error" title="Remediate could not load">
        <Text>{state.message}</Text>
      </SectionMessage>
    );
  }
  const { summary } = state;
  return (
    <Stack space="space.150">
      <Heading size="small" as="h2">Remediate</Heading>
      {summary.total === 0 && !summary.lastScan ? (
        <Text>No scans yet: upload SARIF from CI (the workspace settings page has the snippet).</Text>
      ) : (
        <Stack space="space.100">
          <Text>
            {summary.open} open of {summary.total} findings · {summary.truePositives} true positive
            {summary.truePositives === 1 ? '' : 's'}
          </Text>
          {summary.bySeverity.length > 0 && (
            <Text>Open true positives by severity:</Text>
          )}
          {summary.bySeverity.length > 0 && (
            <Inline space="space.050" shouldWrap>
              {summary.bySeverity.map(({ severity, count }) => (
                <Lozenge key={severity} appearance={severityAppearance[severity] ?? 'default'}>
                  {`${count} ${severity}`}
                </Lozenge>
              ))}
            </Inline>
          )}
          <TopFindings summary={summary} />
        </Stack>
      )}
      <PullRequests summary={summary} />
      {summary.lastScan && <LastScan scan={summary.lastScan} />}
      {pageHref ? (
        <Link href={pageHref}>Open the Remediate page</Link>
      ) : (
        <Text>Findings, fixes and scans: Remediate in the repository menu.</Text>
      )}
    </Stack>
  );
}

function TopFindings({ summary }: { summary: CardSummary }) {
  if (summary.topFindings.length === 0) return null;
  return (
    <Stack space="space.050">
      <Text weight="bold">Most severe open true positives</Text>
      {summary.topFindings.map((finding) => (
        <Inline key={finding.id} space="space.050" alignBlock="center" shouldWrap>
          <Lozenge appearance={severityAppearance[finding.severity] ?? 'default'}>{finding.severity}</Lozenge>
          <Text>{`${findingPlace(finding)} (confidence ${finding.confidence})`}</Text>
        </Inline>
      ))}
    </Stack>
  );
}

function PullRequests({ summary }: { summary: CardSummary }) {
  if (summary.openPullRequests.length === 0) return <Text>No open fix pull requests.</Text>;
  return (
    <Stack space="space.050">
      <Text weight="bold">Open fix pull requests</Text>
      {summary.openPullRequests.slice(0, 5).map((pr) => (
        <Text key={pr.id}>
          <Link href={pr.url} openNewTab>{`#${pr.id} ${pr.title}`}</Link>
        </Text>
      ))}
      {summary.openPullRequests.length > 5 && <Text>{`and ${summary.openPullRequests.length - 5} more`}</Text>}
    </Stack>
  );
}

function LastScan({ scan }: { scan: CardScan }) {
  return (
    <Inline space="space.050" alignBlock="center" shouldWrap>
      <Text>{`Last scan ${formatWhen(scan.createdAt)} on ${shortSha(scan.commit)}`}</Text>
      <Lozenge appearance={scanAppearance(scan.status)}>{scan.status}</Lozenge>
    </Inline>
  );
}
