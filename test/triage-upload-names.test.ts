/**
 * multer hands over `file.originalname` as a base name (busboy keeps what follows the last `/` or
 * `\` unless `preservePath` is set), so after a prefix in its path segment it names a file inside
 * the folder; and a member of the environment a config module parses (`config.PHOTO_DIR` with
 * `export const config = schema.parse(process.env)`) is a folder the deployment fixes. Each beside
 * its near miss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const fsRule = ruleFinding('security/detect-non-literal-fs-filename', 'ESLint', ['CWE-22']);
const configModule = ["import { z } from 'zod';", 'const schema = z.object({ PHOTO_DIR: z.string().default(\'./photos\') });', 'export const config = schema.parse(process.env);'];
const controller = (options: string) => [
  "@Controller('trees/:treeId/photos')",
  'export class PhotosController {',
  `  @UseInterceptors(FileInterceptor('photo', ${options}))`,
  "  upload(@Param('treeId', ParseIntPipe) treeId: number, @UploadedFile() file: Express.Multer.File) {",
  '    return this.photos.upload(treeId, file);',
  '  }',
  '}',
];
const service = (name: string) => [
  "import { randomUUID } from 'node:crypto';",
  "import { promises as fs } from 'node:fs';",
  "import { join } from 'node:path';",
  "import { config } from '../config';",
  'const PHOTO_DIR = \'/srv/photos\';',
  '@Injectable()',
  'export class PhotosService {',
  '  async upload(file: Express.Multer.File) {',
  `    const original = join(PHOTO_DIR, ${name});`,
  '    await fs.writeFile(original, file.buffer);',
  '    return original;',
  '  }',
  '}',
].join('\n');
const repository = (file: string, options = '{ limits: { fileSize: 8e6 } }') => ({
  notShipped: new Map(),
  containers: [],
  modules: new Map([['src/photos/photos.service.ts', file.split('\n')], ['src/config.ts', configModule], ['src/photos/photos.controller.ts', controller(options)]]),
});
const at = (file: string, options?: string) => triageMarked(fsRule, 'src/photos/photos.service.ts', file, 'await fs.writeFile', repository(file, options));

test("multer's originalname after a prefix in its segment stays in the folder; at the start of a segment, with preservePath or a storage engine of its own it stays a finding", () => {
  const prefixed = at(service('`photo-${Date.now()}-${file.originalname}`'));
  assert.equal(prefixed.verdict, 'false_positive', prefixed.justification);
  for (const name of ['file.originalname', '`${file.originalname}`', '`uploads/${file.originalname}`']) {
    const bare = at(service(name));
    assert.notEqual(bare.verdict, 'false_positive', `${name}: ${bare.justification}`);
  }
  const preserved = at(service('`photo-${Date.now()}-${file.originalname}`'), '{ preservePath: true }');
  assert.notEqual(preserved.verdict, 'false_positive', preserved.justification);
  const storage = at(service('`photo-${Date.now()}-${file.originalname}`'), '{ storage: new GcsStorage(bucket) }');
  assert.notEqual(storage.verdict, 'false_positive', storage.justification);
  // A value not shown to be multer's: the client's name as it came.
  const other = at(service('`photo-${Date.now()}-${file.originalname}`').replace('file: Express.Multer.File', 'file: UploadDto'));
  assert.notEqual(other.verdict, 'false_positive', other.justification);
});

test('a random UUID under a folder read from the parsed environment is set aside; a request value under it is not', () => {
  const file = service('`${randomUUID()}.jpg`').replace('join(PHOTO_DIR,', 'join(config.PHOTO_DIR,');
  const generated = at(file);
  assert.equal(generated.verdict, 'false_positive', generated.justification);
  assert.match(generated.justification, /schema\.parse\(process\.env\)/);
  const client = at(file.replace('`${randomUUID()}.jpg`', 'file.fieldname'));
  assert.notEqual(client.verdict, 'false_positive', client.justification);
});
