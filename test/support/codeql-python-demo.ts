import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The repository that `fixtures/sarif/codeql-python_demo-python_advanced-security.sarif` scanned,
 * reduced to the file its SQL-injection code flow runs through (lines kept where the SARIF points).
 */
export const codeqlPythonDemoFiles: Record<string, string> = {
  'server/routes.py': [
    'from flask import request, render_template, make_response',
    'from server.webapp import flask_app',
    '', '', '', '', '', '',
    '@flask_app.route("/")',
    'def index():',
    '    name = request.args.get("name")',
    '    author = request.args.get("author")',
    '    read = bool(request.args.get("read"))',
    '    if name:',
    '        cursor.execute(',
    '            "SELECT * FROM books WHERE name LIKE \'%" + name + "%\'"',
    '        )',
    '',
  ].join('\n'),
  'server/__init__.py': '',
};

export const codeqlPythonDemoSarif = (): Promise<string> =>
  readFile(join(import.meta.dirname, '../fixtures/sarif/codeql-python_demo-python_advanced-security.sarif'), 'utf8');
