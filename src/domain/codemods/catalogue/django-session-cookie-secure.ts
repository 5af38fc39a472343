import { settingFlip } from '../python/settings';
import type { Codemod } from '../types';

export const djangoSessionCookieSecure: Codemod = {
  id: 'django-session-cookie-secure',
  title: 'Send the Django session cookie over HTTPS only',
  summary: 'Set SESSION_COOKIE_SECURE = True in Django settings',
  description: [
    'With `SESSION_COOKIE_SECURE = False` the browser also sends the session cookie over plain HTTP, where anyone on',
    'the network can read it and take over the session. This change marks the cookie `Secure`.',
    '',
    '```diff',
    '-SESSION_COOKIE_SECURE = False',
    '+SESSION_COOKIE_SECURE = True',
    '```',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'Sessions stop working on any plain-HTTP deployment, such as a local server without TLS.',
  languages: ['python'],
  cwes: ['CWE-614'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Django settings: SESSION_COOKIE_SECURE', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure' },
    { title: 'CWE-614: Sensitive Cookie in HTTPS Session Without Secure Attribute', url: 'https://cwe.mitre.org/data/definitions/614.html' },
  ],
  ruleIds: { sonar: ['python:S2092'] },
  ...settingFlip('SESSION_COOKIE_SECURE', 'True', 'so the session cookie is only sent over HTTPS'),
};
