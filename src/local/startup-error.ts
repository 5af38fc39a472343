/**
 * A file under DATA_DIR the local host cannot use (corrupt, cut short, not what it should be). Its
 * message is one line that names the file and how to start over, and never quotes the file: the
 * emulator's state holds API tokens, the database holds settings and findings.
 */
import { dirname } from 'node:path';

export class StartupError extends Error {
  constructor(file: string, problem: string) {
    super(`${file} ${problem}. To start over, stop the host and delete ${dirname(file)} (DATA_DIR); the next start creates it afresh.`);
    this.name = 'StartupError';
  }
}
