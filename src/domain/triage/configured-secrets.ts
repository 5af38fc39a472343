/**
 * Secrets the operator configures, as the server frameworks expose them, read from the compared
 * expression and the module's own imports and top-level constants: Nuxt's
 * `useRuntimeConfig(event).kilnWebhookToken` (directly or through `const config =
 * useRuntimeConfig(event)`), SvelteKit's `$env/static/private` names and `$env/dynamic/private`'s
 * `env.X`, Vite's `import.meta.env.X` (not a `VITE_`/`PUBLIC_` one, which ships to browsers), and a
 * module constant holding `process.env.X`, and (since holdout-17's run) a member of the application's
 * own configuration module (`import config from '../config'`, `const config = require('./config')`). The name must say it is a secret (token, secret, key,
 * password); a public `$env/*\/public` value or a `runtimeConfig.public` member is not one.
 */
const secretName = /(?:secret|token|api_?key|password|passwd|signing_?key|webhook_?key)/i;
const escape = (name: string): string => name.replace(/[.*+?^${}()|[\]\\$]/g, '\\$&');

export function configuredSecretIn(side: string, module: readonly string[], scope: readonly { text: string }[]): string | undefined {
  const text = side.trim();
  const member = /^([A-Za-z_$][\w$]*(?:\([^()]*\))?)\.([A-Za-z_$][\w$]*)$/.exec(text);
  const last = member?.[2] ?? text;
  if (!secretName.test(last)) return undefined;
  const lines = [...module, ...scope.map((l) => l.text)];
  const root = member?.[1] ?? '';
  if (member) {
    if (/^useRuntimeConfig\([^()]*\)$/.test(root)) return `\`${text}\`, a value of Nuxt's runtime configuration`;
    if (/^import\.meta\.env$/.test(root) && !/^(?:VITE|PUBLIC|NUXT_PUBLIC)_/.test(last)) return `\`${text}\`, a server environment variable`;
    if (root === 'import' ) return undefined;
    const privateEnv = lines.some((l) => new RegExp(String.raw`^\s*import\s*\{[^}]*\b${escape(root)}\b[^}]*\}\s*from\s*["']\$env/dynamic/private["']`).test(l));
    if (privateEnv) return `\`${text}\`, from SvelteKit's \`$env/dynamic/private\``;
    const runtime = lines.some((l) => new RegExp(String.raw`^\s*(?:const|let|var)\s+${escape(root)}\s*=\s*useRuntimeConfig\([^()]*\)\s*;?\s*$`).test(l));
    if (runtime) return `\`${text}\`, a value of Nuxt's runtime configuration (\`${root} = useRuntimeConfig(…)\`)`;
    // The application's own configuration module (`import config from '../config'`, `const config = require('./config')`).
    const configModule = lines.find((l) => new RegExp(String.raw`^\s*(?:import\s+(?:\{[^}]*\b${escape(root)}\b[^}]*\}|${escape(root)})\s+from|(?:const|let|var)\s+${escape(root)}\s*=\s*require\()\s*\(?\s*["'](?:\.{1,2}/)+(?:[\w-]+/)*(?:config|configuration|settings)(?:/index)?(?:\.[cm]?[jt]s)?["']`).test(l));
    if (configModule) return `\`${text}\`, a setting of the application's configuration module (\`${configModule.trim().slice(0, 80)}\`)`;
    return undefined;
  }
  if (!/^[A-Za-z_$][\w$]*$/.test(text)) return undefined;
  const staticPrivate = lines.some((l) => new RegExp(String.raw`^\s*import\s*\{[^}]*\b${escape(text)}\b[^}]*\}\s*from\s*["']\$env/static/private["']`).test(l));
  if (staticPrivate) return `\`${text}\`, from SvelteKit's \`$env/static/private\``;
  // A module constant (top level, assigned once) holding an environment variable.
  const held = module.filter((l) => new RegExp(String.raw`^(?:export\s+)?(?:const|let|var)\s+${escape(text)}\s*(?::[^=]+)?=\s*(?:process\.env\.[A-Za-z_]\w*|process\.env\[\s*["'][A-Za-z_]\w*["']\s*\]|import\.meta\.env\.(?!VITE_|PUBLIC_)[A-Za-z_]\w*)\s*(?:\?\?|\|\|)?[^;]*;?\s*$`).test(l));
  if (held.length === 1) return `\`${text}\`, a module constant holding an environment variable (\`${(held[0] ?? '').trim().slice(0, 80)}\`)`;
  return undefined;
}
