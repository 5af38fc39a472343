/**
 * Java outputs of codemods changed for real-code shapes (issue 17): they compile against the JDK (and a stand-in
 * servlet API), and where the JDK alone can run them, they run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const fixture = (codemod: string, file: string): string => readFileSync(join(import.meta.dirname, 'fixtures', 'codemods', codemod, file), 'utf8');
const has = (command: string, args: string[]): boolean => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

const javac = has('javac', ['-version']);

test('sql-parameterize-jdbc, query variable, chained createStatement and try resource: before and after compile against java.sql', { skip: !javac && 'javac missing' }, () => {
  for (const [name, file] of [['fix-query-variable', 'LoginDao'], ['fix-chained', 'AccountDao'], ['fix-try-resource', 'OrderDao']] as const) {
    for (const which of ['input', 'output']) {
      const dir = mkdtempSync(join(tmpdir(), 'codemod-java-'));
      try {
        writeFileSync(join(dir, `${file}.java`), fixture('sql-parameterize-jdbc', `${name}.${which}.java`));
        const result = spawnSync('javac', ['-d', 'out', `${file}.java`], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
        assert.equal(result.status, 0, `${name}.${which}: ${result.stderr}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
});

test('java-cookie-secure reported on addCookie: before and after compile against a servlet Cookie', { skip: !javac && 'javac missing' }, () => {
  // A stand-in for the servlet API (not installed here), with the members the fixture calls.
  const api = {
    'javax/servlet/http/Cookie.java': 'package javax.servlet.http; public class Cookie { public Cookie(String n, String v) {} public void setPath(String p) {} public void setHttpOnly(boolean b) {} public void setSecure(boolean b) {} }',
    'javax/servlet/http/HttpServletRequest.java': 'package javax.servlet.http; public interface HttpServletRequest { String getParameter(String n); }',
    'javax/servlet/http/HttpServletResponse.java': 'package javax.servlet.http; public interface HttpServletResponse { void addCookie(Cookie c); }',
  };
  for (const which of ['input', 'output']) {
    const dir = mkdtempSync(join(tmpdir(), 'codemod-java-'));
    try {
      for (const [path, text] of Object.entries(api)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      writeFileSync(join(dir, 'PreferencesServlet.java'), fixture('java-cookie-secure', `fix-reported-on-add.${which}.java`));
      const result = spawnSync('javac', ['-d', 'out', 'PreferencesServlet.java', ...Object.keys(api)], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      assert.equal(result.status, 0, `${which}: ${result.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

const java = javac && has('java', ['-version']);

test('java-weak-tls, setEnabledProtocols and setProtocols: only TLS 1.2+ names are left, and the JDK accepts them', { skip: !java && 'javac/java missing' }, () => {
  const main = 'package com.example.net; public class Main { public static void main(String[] a) { System.out.println(String.join(",", new LegacyClient().parameters().getProtocols())); } }';
  const run = (which: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'codemod-java-'));
    try {
      writeFileSync(join(dir, 'LegacyClient.java'), fixture('java-weak-tls', `fix-enabled-protocols.${which}.java`));
      writeFileSync(join(dir, 'Main.java'), main);
      const compiled = spawnSync('javac', ['-d', 'out', 'LegacyClient.java', 'Main.java'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      assert.equal(compiled.status, 0, compiled.stderr);
      const ran = spawnSync('java', ['-cp', 'out', 'com.example.net.Main'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(ran.status, 0, ran.stderr);
      return ran.stdout.trim();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  assert.equal(run('input'), 'TLSv1.1,TLSv1.2,TLSv1.3');
  assert.equal(run('output'), 'TLSv1.2,TLSv1.3');
  assert.match(fixture('java-weak-tls', 'fix-enabled-protocols.output.java'), /setEnabledProtocols\(new String\[\] \{"TLSv1\.2"\}\)/);
});

test('xxe-transformer-factory: plain XML renders the same; an external entity no longer reads a local file', { skip: !java && 'javac/java missing' }, () => {
  const main = [
    'package com.example.reports;',
    'public class Main {',
    '  public static void main(String[] a) throws Exception {',
    '    String xslt = "<xsl:stylesheet version=\\"1.0\\" xmlns:xsl=\\"http://www.w3.org/1999/XSL/Transform\\"><xsl:output method=\\"text\\"/><xsl:template match=\\"/\\"><xsl:value-of select=\\"/r\\"/></xsl:template></xsl:stylesheet>";',
    '    String plain = "<r>hello</r>";',
    '    String evil = "<?xml version=\\"1.0\\"?><!DOCTYPE r [<!ENTITY x SYSTEM \\"" + new java.io.File("secret.txt").toURI() + "\\">]><r>&x;</r>";',
    '    String second;',
    '    try { second = new ReportRenderer().render(evil, xslt); } catch (Exception e) { second = "refused"; }',
    '    System.out.println(new ReportRenderer().render(plain, xslt) + "|" + second);',
    '  }',
    '}',
  ].join('\n');
  const run = (which: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'codemod-java-'));
    try {
      writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET');
      writeFileSync(join(dir, 'ReportRenderer.java'), fixture('xxe-transformer-factory', `fix-report.${which}.java`));
      writeFileSync(join(dir, 'Main.java'), main);
      const compiled = spawnSync('javac', ['-d', 'out', 'ReportRenderer.java', 'Main.java'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      assert.equal(compiled.status, 0, compiled.stderr);
      const ran = spawnSync('java', ['-cp', 'out', 'com.example.reports.Main'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(ran.status, 0, ran.stderr);
      return ran.stdout.trim();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  assert.equal(run('input'), 'hello|TOP-SECRET', 'before the fix the entity read the file');
  assert.equal(run('output'), 'hello|refused');
});
