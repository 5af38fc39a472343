import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { emptyState, emulatorStateSchema, type EmulatorState } from './model';
import { StartupError } from '../startup-error';

/** The state file: read once at start, written whole after each change (temp file, then rename). */

/**
 * Reads the state file. A file that is not JSON, or not the emulator's state, is a `StartupError`
 * naming the file and the JSON path, never its text (V8's JSON errors quote the first bytes, and the
 * state holds API tokens).
 */
export function loadState(file: string | undefined): EmulatorState {
  if (file === undefined || !existsSync(file)) return emptyState();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new StartupError(file, 'is not valid JSON (the Bitbucket emulator\'s state is corrupt or cut short)');
  }
  const parsed = emulatorStateSchema.safeParse(json);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.') || 'the top level';
    throw new StartupError(file, `is not the Bitbucket emulator's state (unexpected value at ${path.slice(0, 100)})`);
  }
  return parsed.data;
}

export function saveState(file: string | undefined, state: EmulatorState): void {
  if (file === undefined) return;
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}
