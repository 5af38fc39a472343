import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { emptyState, emulatorStateSchema, type EmulatorState } from './model';

/** The state file: read once at start, written whole after each change (temp file, then rename). */

export function loadState(file: string | undefined): EmulatorState {
  if (file === undefined || !existsSync(file)) return emptyState();
  const parsed = emulatorStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Emulator state file ${file} is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
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
