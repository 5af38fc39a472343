import { isAscii } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { AppError } from '../../domain/errors';

/** Forge web trigger requests and responses are capped at 5 MB. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** A SARIF file larger than this once decompressed is refused (413), so a gzip bomb cannot exhaust memory. */
export const MAX_DECOMPRESSED_BYTES = 40 * 1024 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b];

const isGzip = (bytes: Uint8Array): boolean => bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];

/**
 * Output chunk of the inflater: zlib's default 16 KB makes a 10 MB SARIF 640 chunks (and twice the
 * time of 1 MB ones); a small body still gets a small chunk.
 */
const chunkSizeFor = (compressed: number): number => Math.min(1024 * 1024, Math.max(64 * 1024, compressed * 16));

/** UTF-8 bytes → text; ASCII (most SARIF) is copied as Latin-1, which skips UTF-8 decoding and gives the same string. */
const textOf = (bytes: Buffer): string => (isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8'));

function gunzip(bytes: Uint8Array, what: string): string {
  try {
    return textOf(gunzipSync(bytes, { maxOutputLength: MAX_DECOMPRESSED_BYTES, chunkSize: chunkSizeFor(bytes.length) }));
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new AppError('payload_too_large', `${what} decompresses to more than ${MAX_DECOMPRESSED_BYTES / 1024 / 1024} MB; split the SARIF file or filter its results.`);
    }
    throw new AppError('bad_request', `${what} is not valid gzip data.`);
  }
}

const envelopeSchema = z.object({ sarif: z.string().min(1), commit_sha: z.string().optional(), ref: z.string().optional() });

export interface DecodedBody {
  sarifText: string;
  /** From a GitHub-style envelope, used when the query string names none. */
  commit?: string;
  ref?: string;
}

/**
 * Turns an upload body into SARIF text. Accepts raw JSON, a gzip body (`Content-Encoding: gzip`;
 * the web trigger receives it as a binary string), and the `{"sarif": base64(gzip)}` envelope.
 */
export function decodeUploadBody(body: string, contentEncoding: string | undefined): DecodedBody {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (Buffer.byteLength(body, encoding === 'gzip' ? 'latin1' : 'utf8') > MAX_BODY_BYTES) {
    throw new AppError('payload_too_large', `The upload is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB; gzip it (Content-Encoding: gzip).`);
  }
  if (encoding !== '' && encoding !== 'identity' && encoding !== 'gzip') {
    throw new AppError('unsupported_encoding', `Content-Encoding "${encoding}" is not supported; send plain JSON or gzip.`);
  }
  if (encoding === 'gzip') {
    const bytes = Buffer.from(body, 'latin1');
    if (isGzip(bytes)) return { sarifText: gunzip(bytes, 'The gzip body') };
    // Only a body that is not gzip as sent is read as base64 (decoding a 5 MB body costs milliseconds).
    const fromBase64 = Buffer.from(body.trim(), 'base64');
    if (isGzip(fromBase64)) return { sarifText: gunzip(fromBase64, 'The gzip body') };
    throw new AppError('bad_request', 'Content-Encoding is gzip but the body is not gzip data.');
  }
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  if (text.trimStart().startsWith('{"sarif"') || /^\s*\{\s*"sarif"\s*:\s*"/.test(text.slice(0, 64))) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError('bad_request', 'The body is not valid JSON.');
    }
    const envelope = envelopeSchema.safeParse(value);
    if (envelope.success) {
      const bytes = Buffer.from(envelope.data.sarif, 'base64');
      const sarifText = isGzip(bytes) ? gunzip(bytes, 'The "sarif" field') : bytes.toString('utf8');
      return {
        sarifText,
        ...(envelope.data.commit_sha ? { commit: envelope.data.commit_sha } : {}),
        ...(envelope.data.ref ? { ref: envelope.data.ref } : {}),
      };
    }
  }
  return { sarifText: text };
}
