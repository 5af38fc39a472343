import { settingFlip } from '../python/settings';
import type { Codemod } from '../types';

export const djangoDebugFalse: Codemod = {
  id: 'django-debug-false',
  title: 'Turn off Django DEBUG',
  summary: 'Set DEBUG = False in Django settings',
  description: [
    'With `DEBUG = True`, Django answers errors with a page showing the stack, local variables and most settings,',
    'and keeps every SQL query in memory. This change sets `DEBUG = False` in the settings module.',
    '',
    '```diff',
    '-DEBUG = True',
    '+DEBUG = False',
    '```',
    '',
    'Keep debugging in development with a separate settings file or `DEBUG = os.environ.get("DJANGO_DEBUG") == "1"`.',
  ].join('\n'),
  reviewGuidance: 'merge-after-cursory-review',
  reviewGuidanceReason: 'With DEBUG off Django requires ALLOWED_HOSTS and stops serving static files itself; check both are configured.',
  languages: ['python'],
  cwes: ['CWE-489', 'CWE-215'],
  owasp: ['A05:2021'],
  references: [
    { title: 'Django settings: DEBUG', url: 'https://docs.djangoproject.com/en/stable/ref/settings/#debug' },
    { title: 'Django deployment checklist', url: 'https://docs.djangoproject.com/en/stable/howto/deployment/checklist/' },
  ],
  ruleIds: { sonar: ['python:S4507'] },
  ...settingFlip('DEBUG', 'False', 'so error pages no longer show code, variables and settings'),
};
