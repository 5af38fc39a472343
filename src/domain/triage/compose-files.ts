import type { Mark } from './repository-facts';
import { withinProject } from './text-readers';
import { dirOf } from './repo-paths';

/**
 * A compose file for development: its name says so (`docker-compose.dev.yml`, `.local`, `.override`,
 * `.test`, `.ci`) or its opening comment does (`# Local development only`, `# for CI`, `# not for
 * production`), while another file of the same application is what production deploys — a compose
 * file named or introduced for production (`deploy/compose.prod.yml`, `# Production on the VM`), a
 * `fly.toml`, or a Kubernetes workload. Its settings (a missing `no-new-privileges`, a writable
 * root filesystem) never reach production. Scope `deployment`: a credential committed in it is still
 * exposed to every reader of the repository and stays a finding. Fail-safe: a file whose comment
 * also speaks of production, or no production deployment file beside it, decides nothing.
 */
const composeName = /^(docker-)?compose[\w.-]*\.ya?ml$/;
const developmentName = /[.-](dev|development|local|override|test|ci)\.ya?ml$/i;
const productionName = /[.-](prod|production|live)\.ya?ml$/i;
const developmentHeader = /\b(?:(?:local|development|dev)\s+(?:development\s+)?(?:only|use|environment|stack|setup)|for\s+(?:local\s+)?(?:development|CI|testing)|development\s+only|not\s+(?:for|used\s+in)\s+production)\b/i;
const productionHeader = /\bproduction\b/i;
const deployFolder = /^(?:deploy|deployment|deployments|ops|infra)\//;

const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The comment lines a file opens with, joined. */
function openingComment(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) out.push(line.replace(/^\s*#\s?/, ''));
    else if (line.trim() !== '' || out.length > 0) break;
  }
  return out.join(' ');
}

export function developmentComposeFiles(contents: ReadonlyMap<string, string>, mark: Mark): void {
  const read = [...contents];
  for (const [path, text] of read) {
    if (!composeName.test(nameOf(path))) continue;
    const comment = openingComment(text);
    const byName = developmentName.test(nameOf(path));
    const byComment = developmentHeader.test(comment) && !productionHeader.test(comment.replace(/not\s+(?:for|used\s+in)\s+production/gi, ''));
    // Or a development header that sends production elsewhere (`# Local development only: production
    // runs the image on the VPS (see deploy/)`), believed only when the image is there (a Dockerfile of
    // the application with a CMD, not itself declared for development) and a deploy folder's file
    // names production.
    const pointsElsewhere = !byName && !byComment && declaresDevelopment(text) !== undefined && /\bproduction\s+(?:runs|uses|deploys|starts|serves|is\s+(?:deployed|served|run))\b/i.test(comment);
    if (!byName && !byComment && !pointsElsewhere) continue;
    // The application's folder: the compose file's own, or its parent when it sits in a deploy folder.
    const root = dirOf(path);
    const production = read.find(([other, body]) => other !== path && withinProject(other, root) && (
      (composeName.test(nameOf(other)) || /\.ya?ml$/.test(other)) && /^\s*services:/m.test(body) && (productionName.test(nameOf(other)) || (productionHeader.test(openingComment(body)) && !developmentHeader.test(openingComment(body))))
      || nameOf(other) === 'fly.toml'
      || (/\.ya?ml$/.test(other) && /^\s*kind:\s*(Deployment|StatefulSet|DaemonSet)\b/m.test(body))));
    const image = pointsElsewhere ? read.find(([other, body]) => withinProject(other, root) && /^Dockerfile/.test(nameOf(other)) && /^\s*(?:CMD|ENTRYPOINT)\s/m.test(body) && !developmentName.test(`${nameOf(other)}.yml`) && declaresDevelopment(body) === undefined) : undefined;
    const deployed = image ? read.find(([other, body]) => withinProject(other, root) && deployFolder.test(other.slice(root ? root.length + 1 : 0)) && productionHeader.test(body)) : undefined;
    const evidence = production ?? (image && deployed ? ([`${image[0]} (the image) and ${deployed[0]}`, ''] as const) : undefined);
    if (!evidence) continue;
    const why = pointsElsewhere ? `its opening comment says it is for development and that production runs elsewhere (\`${comment.slice(0, 80)}\`)` : byComment ? `its opening comment says it is for development (\`${comment.slice(0, 80)}\`)` : 'its name says it is for development';
    mark(path, { category: 'non_production', scope: 'deployment', evidence: `${path} is a development compose file: ${why}, and production deploys with ${evidence[0]}` });
  }
}

/**
 * A compose file or Dockerfile that says in its opening comment that it is for development — by
 * itself, or beside a clause that sends production elsewhere (`# Local development only:
 * production runs the image on the VPS`). What such a file starts is a developer's runner
 * (`analyzers/development-server.ts`); it is no evidence about the file's own settings.
 */
const runnerHeader = /\b(?:(?:local\s+)?development(?:\s+and\s+(?:CI|testing|tests))?\s+only|(?:local|dev)\s+(?:development\s+)?only|for\s+local\s+development|not\s+(?:for|used\s+in)\s+production)\b/i;
const elsewhere = /\bnot\s+(?:for|used\s+in)\s+production\b|\bproduction\s+(?:runs|uses|deploys|starts|serves|builds|is\s+(?:deployed|served|run))\b/gi;

export function declaresDevelopment(text: string): string | undefined {
  const comment = openingComment(text);
  if (!runnerHeader.test(comment) || productionHeader.test(comment.replace(elsewhere, ''))) return undefined;
  return comment.slice(0, 100);
}

/** Compose files and Dockerfiles whose opening comment says development, with that comment. */
export function developmentDeclaredFiles(contents: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, text] of contents) {
    if (!composeName.test(nameOf(path)) && !/^Dockerfile/.test(nameOf(path))) continue;
    const comment = declaresDevelopment(text);
    if (comment) out.set(path, comment);
  }
  return out;
}
