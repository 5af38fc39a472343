/**
 * Form bodies for `POST /src`: multipart/form-data (a part with a `filename` is a file, its field
 * name the path; `x-attributes:"executable"` or `x-attributes="executable"` sets the bit) and
 * application/x-www-form-urlencoded (every field that is not a meta field is a file).
 */

export const META_FIELDS = ['message', 'author', 'branch', 'parents', 'files'] as const;
export type MetaField = (typeof META_FIELDS)[number];

export interface FormFile {
  path: string;
  content: string;
  executable: boolean;
}

export interface CommitForm {
  files: FormFile[];
  meta: Record<MetaField, string[]>;
}

export class FormError extends Error {}

const isMeta = (name: string): name is MetaField => (META_FIELDS as readonly string[]).includes(name);

const emptyForm = (): CommitForm => ({ files: [], meta: { message: [], author: [], branch: [], parents: [], files: [] } });

/** `name="x"; filename="y"; x-attributes:"executable"` → lower-cased keys, unquoted values. */
function dispositionParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*([A-Za-z0-9_-]+)\s*[=:]\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  for (let match = pattern.exec(header); match !== null; match = pattern.exec(header)) {
    const raw = match[2] ?? match[3] ?? '';
    const value = raw.replace(/\\(.)/g, '$1').replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
    params.set((match[1] ?? '').toLowerCase(), value);
  }
  return params;
}

function parseMultipart(body: Buffer, contentType: string): CommitForm {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2]?.trim();
  if (!marker) throw new FormError('multipart body without a boundary');
  const delimiter = Buffer.from(`--${marker}`);
  const form = emptyForm();

  let position = body.indexOf(delimiter);
  if (position < 0) throw new FormError('multipart body without any part');
  while (position >= 0) {
    const afterDelimiter = position + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', afterDelimiter);
    if (headerEnd < 0) throw new FormError('malformed multipart part');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new FormError('unterminated multipart body');
    const headers = body.subarray(afterDelimiter, headerEnd).toString('utf8').split('\r\n');
    const content = body.subarray(headerEnd + 4, next).toString('utf8');
    const disposition = headers.find((line) => /^content-disposition:/i.test(line)) ?? '';
    const params = dispositionParams(disposition);
    const name = params.get('name');
    if (name !== undefined) {
      if (params.has('filename')) {
        const executable = (params.get('x-attributes') ?? '').split(',').includes('executable');
        form.files.push({ path: name, content, executable });
      } else if (isMeta(name)) {
        form.meta[name].push(content);
      }
    }
    position = next + 2;
  }
  return form;
}

function parseUrlEncoded(body: Buffer): CommitForm {
  const form = emptyForm();
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    if (isMeta(name)) form.meta[name].push(value);
    else form.files.push({ path: name, content: value, executable: false });
  }
  return form;
}

/** The commit form from the body, with meta fields also taken from the query string. */
export function parseCommitForm(body: Buffer, contentType: string, query: URLSearchParams): CommitForm {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  let form: CommitForm;
  if (type === 'multipart/form-data') form = parseMultipart(body, contentType);
  else if (type === 'application/x-www-form-urlencoded' || (type === '' && body.length === 0)) form = parseUrlEncoded(body);
  else throw new FormError(`unsupported content type ${type || '(none)'}`);
  for (const field of META_FIELDS) form.meta[field].push(...query.getAll(field));
  return form;
}
