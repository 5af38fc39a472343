/**
 * The body of an accepted upload, kept as received until its scan job has read it. The web trigger
 * validates and normalises the SARIF to answer (and refuse bad input whole), but stores only these
 * bytes: a gzip upload of 25,000 results is 0.4 MB here against 8 MB of normalised findings, so the
 * answer does not wait on serialising and writing every finding. The job decodes and normalises the
 * same bytes again with the same code (src/services/upload/normalise-upload.ts).
 */
import type { SqlDatabase } from '../ports';

/** Base64 characters per row: ASCII, so also bytes, well inside Forge SQL's 1 MiB request. */
const SLICE_CHARS = 512 * 1024;
/** Rows per read: under Forge SQL's 4 MiB response. */
const SLICES_PER_READ = 4;

export interface StoredUpload {
  /** The request body's bytes. */
  body: Buffer;
  /** `gzip`, or `identity` for a JSON body (plain SARIF or the `{"sarif": …}` envelope). */
  encoding: 'gzip' | 'identity';
}

export class UploadsRepository {
  constructor(private readonly db: SqlDatabase) {}

  async save(scanId: string, upload: StoredUpload): Promise<void> {
    const text = upload.body.toString('base64');
    for (let seq = 0, from = 0; from < text.length || seq === 0; seq++, from += SLICE_CHARS) {
      await this.db.execute('INSERT INTO scan_uploads (scan_id, seq, encoding, data) VALUES (?, ?, ?, ?)', [scanId, seq, upload.encoding, text.slice(from, from + SLICE_CHARS)]);
    }
  }

  /** The stored body, or undefined for a scan stored before uploads were kept (its findings are in scan_findings). */
  async load(scanId: string): Promise<StoredUpload | undefined> {
    const parts: string[] = [];
    let encoding: string | undefined;
    for (let from = 0; ; from += SLICES_PER_READ) {
      const rows = await this.db.query<{ encoding: string; data: string }>(
        `SELECT encoding, data FROM scan_uploads WHERE scan_id = ? AND seq >= ? ORDER BY seq LIMIT ${SLICES_PER_READ}`,
        [scanId, from],
      );
      for (const row of rows) {
        encoding = row.encoding;
        parts.push(row.data);
      }
      if (rows.length < SLICES_PER_READ) break;
    }
    if (encoding === undefined) return undefined;
    return { body: Buffer.from(parts.join(''), 'base64'), encoding: encoding === 'gzip' ? 'gzip' : 'identity' };
  }

  async delete(scanId: string): Promise<void> {
    await this.db.execute('DELETE FROM scan_uploads WHERE scan_id = ?', [scanId]);
  }
}
