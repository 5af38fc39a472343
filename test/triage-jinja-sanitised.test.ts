/**
 * `{{ announcement_html|safe }}` in a Jinja template: set aside only when every Flask
 * `render_template` of that template in the files read passes a bleach/nh3 output (or a literal).
 * Beside near misses: one render passing raw Markdown output, a bleach allow-list letting
 * `script` through, a context spread with `**`, and no render call read at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ruleFinding, triageMarked } from './support/triage-at';

const rule = ruleFinding('python.flask.security.xss.audit.template-unescaped-with-safe.template-unescaped-with-safe', 'Semgrep OSS', ['CWE-79']);
const template = ['{% extends "base.html" %}', '{% block content %}', '  <section class="notice">{{ announcement_html|safe }}</section>', '{% endblock %}'].join('\n');
const views = (value: string, tags = '["p", "strong", "em", "a"]', call = 'announcement_html=announcement_html') => [
  'import bleach',
  'import markdown',
  'from flask import render_template',
  `ALLOWED_TAGS = ${tags}`,
  '@bp.route("/")',
  'def index():',
  '    notice = Announcement.query.first()',
  '    announcement_html = ""',
  '    if notice:',
  `        announcement_html = ${value}`,
  '    return render_template(',
  `        "home.html", calendar=calendar, ${call}`,
  '    )',
];
const at = (modules: [string, string[]][]) => triageMarked(rule, 'app/templates/home.html', template, '|safe', {
  notShipped: new Map(), containers: [], modules: new Map([['app/templates/home.html', template.split('\n')], ...modules]),
});
const cleaned = 'bleach.clean(markdown.markdown(notice.body_markdown), tags=ALLOWED_TAGS)';

test('a |safe value every render passes through bleach.clean or nh3.clean is set aside', () => {
  for (const value of [cleaned, 'nh3.clean(markdown.markdown(notice.body_markdown))']) {
    const result = at([['app/views.py', views(value)]]);
    assert.equal(result.verdict, 'false_positive', `${value}: ${result.justification}`);
  }
  const inline = at([['app/views.py', views('""', undefined, `announcement_html=${cleaned}`)]]);
  assert.equal(inline.verdict, 'false_positive', inline.justification);
});

test('raw Markdown, a script-allowing list, a spread context, a second unsanitised render or no render read keep it', () => {
  const cases: [string, [string, string[]][]][] = [
    ['raw markdown', [['app/views.py', views('markdown.markdown(notice.body_markdown)')]]],
    ['script allowed', [['app/views.py', views(cleaned, '["p", "script"]')]]],
    ['spread', [['app/views.py', views(cleaned, undefined, '**context')]]],
    ['second render', [['app/views.py', views(cleaned)], ['app/admin.py', ['from flask import render_template', 'def preview():', '    return render_template("home.html", announcement_html=request.form["body"])']]]],
    ['no render read', [['app/other.py', ['def f():', '    return 1']]]],
  ];
  for (const [label, modules] of cases) {
    const result = at(modules);
    assert.notEqual(result.verdict, 'false_positive', `${label}: ${result.justification}`);
  }
});
