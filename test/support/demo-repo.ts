/** The demo repository (`demo/vulnerable-app`) and its SARIF, as the end-to-end tests upload them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder } from '../../src/local/files-under';

const demo = join(import.meta.dirname, '../../demo');

export const demoFiles = (): Record<string, string> => filesUnder(join(demo, 'vulnerable-app'));
export const demoSarif = (): string => readFileSync(join(demo, 'vulnerable-app.sarif'), 'utf8');
