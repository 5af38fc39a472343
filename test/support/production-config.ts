/** Fixtures shared by the tests of what production's configuration and deployment say. */
import { collectRepositoryFacts } from '../../src/domain/triage/repository-facts';
export const facts = (contents: Record<string, string>) => collectRepositoryFacts(Object.keys(contents), new Map(Object.entries(contents)));

export const dockerfile = [
  'FROM python:3.12-slim',
  'WORKDIR /app',
  'COPY setup.py production.ini ./',
  'COPY shop ./shop',
  'COPY deploy/entrypoint.sh /entrypoint.sh',
  'RUN pip install --no-cache-dir .',
  'RUN useradd --system shop',
  'USER shop',
  'ENTRYPOINT ["/entrypoint.sh"]',
].join('\n');
export const entrypoint = '#!/bin/sh\nset -eu\nexec pserve /app/production.ini\n';
export const ini = (showErrors: string | undefined, level: string) => [
  '[app:main]',
  'use = egg:shop',
  ...(showErrors === undefined ? [] : [`shop.show_errors = ${showErrors}`]),
  '',
  '[loggers]',
  'keys = root, shop',
  '',
  '[logger_root]',
  'level = WARN',
  'handlers = console',
  '',
  '[logger_shop]',
  `level = ${level}`,
  'handlers =',
  'qualname = shop',
].join('\n');
export const app = (production: string, extra: Record<string, string> = {}) => facts({
  'svc/Dockerfile': dockerfile,
  'svc/deploy/entrypoint.sh': entrypoint,
  'svc/production.ini': production,
  'svc/development.ini': ini('true', 'DEBUG'),
  'svc/shop/__init__.py': '',
  ...extra,
});
