/**
 * A multipart/form-data body built by hand: Forge's fetch has no FormData, and an executable file
 * needs `x-attributes:"executable"` in its part's Content-Disposition, which FormData cannot say.
 */

export type MultipartPart =
  | { kind: 'field'; name: string; value: string }
  | { kind: 'file'; name: string; filename: string; content: string; executable?: boolean };

export interface MultipartBody {
  contentType: string;
  body: Uint8Array;
}

const encoder = new TextEncoder();

/** Quoted-string parameter value as browsers send it: `"`, CR and LF percent-encoded. */
function quote(value: string): string {
  return `"${value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

function dispositionOf(part: MultipartPart): string {
  if (part.kind === 'field') return `form-data; name=${quote(part.name)}`;
  const attributes = part.executable ? '; x-attributes:"executable"' : '';
  return `form-data; name=${quote(part.name)}; filename=${quote(part.filename)}${attributes}`;
}

function randomBoundary(random: () => number): string {
  let suffix = '';
  while (suffix.length < 24) suffix += Math.floor(random() * 36).toString(36);
  return `----remediate-${suffix}`;
}

export function buildMultipart(parts: readonly MultipartPart[], random: () => number = Math.random): MultipartBody {
  const texts = parts.map((part) => (part.kind === 'field' ? part.value : part.content));
  let boundary = randomBoundary(random);
  // A boundary must not occur inside any part; with 24 random characters this loop runs once.
  while (texts.some((text) => text.includes(boundary))) boundary = randomBoundary(random);

  const chunks: Uint8Array[] = [];
  for (const [index, part] of parts.entries()) {
    const headers = [`Content-Disposition: ${dispositionOf(part)}`];
    if (part.kind === 'file') headers.push('Content-Type: application/octet-stream');
    chunks.push(encoder.encode(`--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`));
    chunks.push(encoder.encode(texts[index] ?? ''));
    chunks.push(encoder.encode('\r\n'));
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));

  const body = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}
