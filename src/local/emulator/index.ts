export { createBitbucketEmulator, type BitbucketEmulator, type BitbucketEmulatorOptions } from './emulator';
export { startEmulatorServer, MOUNT_PREFIX, type RunningEmulator } from './server';
export { emulatorAdmin, ALL_APP_SCOPES, type EmulatorAdmin, type EmulatorUserInput, type EmulatorFile } from './admin-client';
export type { RequestLogEntry } from './admin';
export type { FaultConfig } from './faults';
export type { EmulatorState } from './model';
export type { PullRequestEvent } from './events';
