import { mainGuardAbove, statement } from '../code-view';
import type { EntryPoint } from '../entry-points';
import { withinProject } from '../text-readers';
import type { DecisiveAnalyzer } from './types';
import { dirOf } from '../repo-paths';

/**
 * A development server started from a script's `if __name__ == "__main__":` block — `app.run(debug=
 * True, host="0.0.0.0")`, Bottle's `run(…, reloader=True)` — when production serves the application
 * through a WSGI/ASGI server by import path (`gunicorn wsgi:app` in the image's CMD, a systemd unit's
 * ExecStart, a Procfile) and the only things that run the script itself are files that say they are
 * for development (`# Local development only` atop the compose file whose `command: python run.py`
 * starts it), or nothing at all. The generalisation of `developerEntryPoint`, which needs production
 * to import the same module. Fail-safe: the flagged statement must itself be the server call with
 * its debugger or reloader on; any production entry point that runs the file (a production compose
 * service, a crontab, a unit), or a start script not read, decides nothing.
 */
const serverByImportPath = /\b(?:gunicorn|uvicorn|hypercorn|waitress-serve|daphne|granian)\b[^\n]*?(?<![\w/.-])[\w.]+:[\w.()]+/;
const developmentServer = /\b(?:run|run_simple|run_app|serve)\s*\(/;
const developmentSwitch = /\b(?:debug|reload|reloader|use_reloader|use_debugger)\s*=\s*True\b/;
const deployFolder = /\/(?:deploy|deployment|deployments|k8s|kube|kubernetes|ops|infra|systemd|etc)$/;

const fileOf = (at: string): string => at.replace(/:\d+$/, '');
/** The application folder a deployment file speaks for: its own, or its parent when it sits in a deploy folder. */
const rootOf = (point: EntryPoint): string => dirOf(fileOf(point.at)).replace(deployFolder, '');

export const developmentServerScript: DecisiveAnalyzer = ({ finding, where, repository, view }) => {
  if (!finding.location || !repository?.entryPoints || !view || !/\.py$/.test(finding.location.path)) return undefined;
  const path = finding.location.path;
  const guard = mainGuardAbove(view);
  if (guard === undefined) return undefined;
  const call = statement(view);
  if (!developmentServer.test(call) || !developmentSwitch.test(call)) return undefined;
  const { points, opaque } = repository.entryPoints;
  const mine = points.filter((p) => withinProject(path, rootOf(p)));
  if (opaque.some((o) => withinProject(path, rootOf({ at: o.split(' ')[0] ?? '', command: '', runs: [] })))) return undefined;
  const declared = repository.developmentDeclared ?? new Map<string, string>();
  const runners = mine.filter((p) => p.runs.some((r) => r.file === path));
  if (runners.some((p) => !declared.has(fileOf(p.at)))) return undefined;
  const server = mine.find((p) => !declared.has(fileOf(p.at)) && serverByImportPath.test(p.command) && !p.runs.some((r) => r.file === path));
  if (!server) return undefined;
  const runner = runners[0];
  const started = runner ? ` only ${fileOf(runner.at)} runs the script, and it says it is for development (\`${declared.get(fileOf(runner.at))}\`)` : ' no deployment file runs the script';
  const serverText = `${server.at}: \`${server.command.slice(0, 90)}\``;
  return {
    verdict: 'wont_fix',
    category: 'non_production',
    base: 80,
    factor: { id: 'development-server', weight: 0, detail: `Line ${view.startLine + guard} starts a \`__main__\` block whose server call turns its debugger or reloader on; production serves the application through a server by import path (${serverText}), and${started}.` },
    justification: `${where} starts a development server (debugger or reloader on) in the file's \`if __name__ == "__main__":\` block (line ${view.startLine + guard}): production serves the application through ${serverText}, which never runs that block, and${started}.`,
  };
};
