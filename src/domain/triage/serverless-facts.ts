import type { Mark } from './repository-facts';
import { codeFile } from './text-readers';
import { dirOf } from './repo-paths';

/**
 * What a serverless template says about the code it deploys (AWS SAM `template.yaml`, read line by
 * line like every manifest here, never a YAML parser):
 * - what is packaged: every function's `CodeUri` (its own or the `Globals` one) and every layer's
 *   `ContentUri` is a folder uploaded to Lambda; a code file beside the template outside all of
 *   them is not deployed (an ops script run by hand, a local invoker), unless a Dockerfile or a
 *   Procfile beside the template could run it, or a function is built from an image or inline code;
 * - which files are Lambda code: the packaged folders, with the function that deploys each, so a
 *   rule about a shared `/tmp` can be judged where `/tmp` is private to one function's environment.
 * A Serverless Framework `serverless.yml` says which files are Lambda handlers (`handler:
 * src/handlers/x.main`: that file is Lambda code) but packages the whole service by default, so it
 * marks nothing unpackaged.
 */
export interface LambdaCode {
  /** Folders (ending in `/`) or files deployed as Lambda function code, with the template line that says so. */
  folders: ReadonlyMap<string, string>;
}

const under = (dir: string, path: string): string => (dir ? `${dir}/${path}` : path);
const normalise = (path: string): string => path.replace(/^\.\//, '').replace(/\/+$/, '');

interface SamTemplate {
  path: string;
  /** Packaged folders relative to the repository, each with its evidence line. */
  packaged: Map<string, string>;
  /** True when something else than a local folder is deployed (an image, inline code, an S3 URI). */
  opaque: boolean;
}

function readSam(path: string, text: string): SamTemplate | undefined {
  if (!/AWS::Serverless(?:-2016-10-31|::Function)/.test(text)) return undefined;
  const dir = dirOf(path);
  const packaged = new Map<string, string>();
  let opaque = /^\s*(?:InlineCode|ImageUri)\s*:|^\s*PackageType\s*:\s*Image\b/m.test(text);
  const lines = text.split('\n');
  let functions = 0;
  let functionsWithUri = 0;
  let current: 'function' | 'other' | undefined;
  let globalUri: string | undefined;
  let inGlobals = false;
  lines.forEach((line, index) => {
    if (/^\S/.test(line)) inGlobals = /^Globals\s*:/.test(line);
    if (/^\s*Type\s*:\s*["']?AWS::Serverless::Function\b/.test(line)) {
      functions += 1;
      current = 'function';
    } else if (/^\s*Type\s*:/.test(line)) current = 'other';
    const uri = /^\s*(CodeUri|ContentUri)\s*:\s*["']?([^"'\s#]+)["']?\s*(?:#.*)?$/.exec(line);
    if (!uri) return;
    const value = uri[2] ?? '';
    // An S3 location, a reference or the template's own folder decides nothing.
    if (/^(s3:|!|\$\{)/.test(value) || normalise(value) === '' || normalise(value) === '.') {
      opaque = true;
      return;
    }
    if (/^\s*CodeUri/.test(line)) {
      if (inGlobals) globalUri = value;
      else if (current === 'function') functionsWithUri += 1;
    }
    packaged.set(normalise(under(dir, normalise(value))), `${path}:${index + 1} \`${line.trim()}\``);
  });
  if (functions === 0) return undefined;
  if (!globalUri && functionsWithUri < functions) opaque = true;
  return { path, packaged, opaque };
}

/** Lambda code and code files a SAM template leaves out of every function it deploys. */
export function serverlessFacts(files: readonly string[], contents: ReadonlyMap<string, string>, mark: Mark): LambdaCode {
  const folders = new Map<string, string>();
  for (const [path, text] of contents) {
    if (/(^|\/)serverless\.ya?ml$/.test(path) && /^provider\s*:/m.test(text)) {
      text.split('\n').forEach((line, index) => {
        const handler = /^\s*handler\s*:\s*["']?([\w./-]+)\.\w+["']?\s*$/.exec(line)?.[1];
        const file = handler ? files.find((f) => f.replace(/\.\w+$/, '') === under(dirOf(path), normalise(handler))) : undefined;
        if (file) folders.set(file, `${path}:${index + 1} \`${line.trim()}\``);
      });
      continue;
    }
    if (!/(^|\/)template\.ya?ml$/.test(path)) continue;
    const sam = readSam(path, text);
    if (!sam) continue;
    for (const [folder, evidence] of sam.packaged) folders.set(`${folder}/`, evidence);
    const dir = dirOf(path);
    const runnersBeside = files.some((f) => dirOf(f) === dir && /(^|\/)(Dockerfile[\w.-]*|Procfile)$/.test(f));
    if (sam.opaque || runnersBeside || sam.packaged.size === 0) continue;
    const uris = [...sam.packaged.values()].join('; ');
    for (const file of files) {
      if (!codeFile.test(file) || (dir && !file.startsWith(`${dir}/`))) continue;
      if ([...sam.packaged.keys()].some((folder) => file === folder || file.startsWith(`${folder}/`))) continue;
      // Another project inside the template's folder (its own manifest or Dockerfile) is not the template's to judge.
      if (files.some((f) => /(^|\/)(package\.json|pyproject\.toml|Dockerfile[\w.-]*|Procfile|template\.ya?ml|serverless\.ya?ml)$/.test(f) && dirOf(f) !== dir && (dir === '' || f.startsWith(`${dir}/`)) && file.startsWith(`${dirOf(f)}/`))) continue;
      mark(file, { category: 'non_production', scope: 'deployment', evidence: `${path} deploys only ${[...sam.packaged.keys()].map((k) => `${k}/`).join(', ')} as Lambda code (${uris}), and it lies outside them` });
    }
  }
  return { folders };
}

/** The template line that deploys `path` as Lambda function code, when one does. */
export function lambdaCodeOf(code: LambdaCode | undefined, path: string): string | undefined {
  if (!code) return undefined;
  for (const [folder, evidence] of code.folders) if (path === folder || (folder.endsWith('/') && path.startsWith(folder))) return evidence;
  return undefined;
}
