/** Every shipped codemod, one file each. Add a new one here; the registry rejects duplicate ids. */
import type { Codemod } from '../types';
import { nodeTlsRejectUnauthorized } from './node-tls-reject-unauthorized';
import { pyyamlSafeLoad } from './pyyaml-safe-load';
import { requestsVerifyTrue } from './requests-verify-true';
import { weakHashSha256 } from './weak-hash-sha256';

export const catalogue: readonly Codemod[] = [pyyamlSafeLoad, requestsVerifyTrue, nodeTlsRejectUnauthorized, weakHashSha256];
